/**
 * How long Cruise Control's partition moves take when a broker pool is resized, as one pure model
 * shared by the KafkaCluster component (which paces its autoscaler by it), the simulator's broker
 * pool (`sim/brokers.ts`) and the plan's description of a rendered cluster. No imports: the bundled
 * policy pack carries the simulator, and with it this file.
 *
 * From `from` to `to` brokers holding `totalDataMiB` (every replica counted), spread evenly before
 * and after: about `totalData × k ÷ max(from, to)` moves (k the brokers added or removed), each
 * broker moving at most the throttle, so the k changing brokers (receiving when added, sending when
 * removed) work in parallel unless fewer brokers stay on the other side: rate = throttle × min(k,
 * from, to). An add onto an empty pool moves nothing; a removal of every broker has nowhere to move
 * to and never completes.
 */

/** A resize's partition moves: what moves, and how fast the whole rebalance moves it. */
export interface RebalanceMove {
  /** MiB moved; 0 when nothing moves. */
  readonly movedMiB: number;
  /** MiB/s for the whole rebalance; 0 when nothing moves, or when nothing stays to move to. */
  readonly rateMiBps: number;
}

export function rebalanceMove(totalDataMiB: number, from: number, to: number, throttleMiBps: number): RebalanceMove {
  const k = Math.abs(to - from);
  if (k === 0 || from === 0 || totalDataMiB <= 0) return { movedMiB: 0, rateMiBps: 0 };
  return { movedMiB: (totalDataMiB * k) / Math.max(from, to), rateMiBps: throttleMiBps * Math.min(k, from, to) };
}

/** Seconds the resize's moves take: 0 when nothing moves, Infinity for a removal of every broker. */
export function rebalanceSeconds(totalDataMiB: number, from: number, to: number, throttleMiBps: number): number {
  const m = rebalanceMove(totalDataMiB, from, to, throttleMiBps);
  if (m.movedMiB === 0) return 0;
  return m.rateMiBps > 0 ? m.movedMiB / m.rateMiBps : Infinity;
}

/**
 * Whole seconds one broker added to or removed from a large pool takes when each broker holds
 * `dataMiB` (a full volume, the worst case): its data at the throttle, the limit of
 * rebalanceSeconds(N × data, N, N ± 1) as N grows. What paces a broker autoscaler's profile.
 */
export function oneBrokerMoveSeconds(dataMiB: number, throttleMiBps: number): number {
  return Math.ceil(dataMiB / throttleMiBps);
}
