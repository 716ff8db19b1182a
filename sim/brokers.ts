/**
 * A Kafka broker pool as Strimzi scales it with Cruise Control's auto-rebalance on scaling
 * (`spec.cruiseControl.autoRebalance` with `add-brokers` and `remove-brokers` templates): the
 * partitions move before an added broker serves and before a removed one goes.
 *
 * - A scale event from N to N' brokers (k = |N' − N|) moves dataMiB × k ÷ max(N, N') (an even
 *   spread of the pool's data before and after) at throttle × min(k, min(N, N')): for an add the k
 *   new brokers receive from the N existing ones, for a remove the k leaving brokers send to the N'
 *   that stay, each broker at most at the throttle (`rebalanceMove`, components/queue/rebalance.ts,
 *   which the KafkaCluster component paces its autoscaler by). An add from 0 brokers moves nothing (the pool
 *   held no data); a remove to 0 is refused (Cruise Control has nowhere to put the partitions, and
 *   Strimzi keeps brokers that still hold replicas), so the brokers stay until spec.replicas rises.
 * - An add creates the k pods at once (StrimziPodSets create every missing pod; they cost from
 *   then) and they serve only when the add-brokers rebalance onto them completes. A remove keeps
 *   the k leaving brokers serving and costing until the remove-brokers rebalance completes; then
 *   they go.
 * - One rebalance at a time (Cruise Control runs one): a change of spec.replicas while one runs
 *   waits for it. Pending changes coalesce: when a rebalance completes, the next one goes from the
 *   brokers that now hold the partitions straight to the latest spec.replicas (Strimzi merges the
 *   queued add-brokers list and replaces the remove-brokers one the same way). So a scale-up during
 *   a drain runs after the drain, moving partitions back onto the broker that has just been emptied.
 * - Every created broker pod is Ready to the replica calculator: a broker runs before it holds
 *   partitions, and reports ~0 usage until it does (`readyBeforeServing`).
 */
import { rebalanceMove } from "../components/queue/rebalance";
import type { ReplicaPool } from "./types";

export interface BrokerPoolModel {
  /** Partition data across the pool, replicas included, in MiB. */
  readonly dataMiB: number;
  /** The replication throttle per broker, in MiB/s. */
  readonly throttleMiBps: number;
  /** How long after a broker's removal (its partitions moved away) a re-added one counts as a regretted scale-down. */
  readonly regretWindowSeconds: number;
}

/** A rebalance under way: from `from` brokers holding the partitions to `to`. */
interface Rebalance {
  readonly from: number;
  readonly to: number;
  /** MiB the whole rebalance moves. */
  readonly total: number;
  /** MiB still to move. */
  left: number;
  /** MiB/s for the whole rebalance; 0 for a removal of every broker, which never completes. */
  readonly rate: number;
}

const EPS = 1e-9;

export class BrokerPool implements ReplicaPool {
  readonly readyBeforeServing = true;
  /** `spec.replicas` of the KafkaNodePool. */
  spec: number;
  /** Broker pods that exist: new ones waiting for partitions and leaving ones still draining included. */
  created: number;
  /** Brokers that hold partitions and serve. */
  ready: number;
  /** Brokers holding the partitions once the running rebalance (if any) is over. */
  private settled: number;
  private running: Rebalance | undefined;
  /** When brokers were removed (their drain completed), oldest first, for the regret tally. */
  private readonly removals: number[] = [];
  private removalsHead = 0;

  // Tallies.
  /** Brokers that add-brokers rebalances moved partitions onto. */
  bootstraps = 0;
  /** A broker pool has no claims to resume from: always 0. */
  readonly resumed = 0;
  regretted = 0;
  /** MiB moved by rebalances. */
  copiedMiB = 0;
  replicaSeconds = 0;
  overloadSeconds = 0;

  constructor(
    private readonly model: BrokerPoolModel,
    initial: number,
  ) {
    this.spec = initial;
    this.created = initial;
    this.ready = initial;
    this.settled = initial;
  }

  /** Set the pool's `spec.replicas` at time t: new pods at once; a rebalance starts if none runs. */
  scaleTo(t: number, next: number): void {
    this.spec = next;
    // A refused removal (of every broker) moved nothing: the next spec.replicas replaces it.
    if (this.running?.rate === 0) this.running = undefined;
    if (this.running === undefined) this.startNext(t);
    this.update();
  }

  /**
   * Advance from t0 to t1 at a constant load: the running rebalance moves data at its rate; when it
   * completes the brokers it added serve (or those it drained go) and the next one starts. Costs accrue.
   */
  advance(t0: number, t1: number, load: number, capacityPerReplica: number): void {
    let now = t0;
    while (now < t1 - EPS) {
      const r = this.running;
      const moving = r !== undefined && r.rate > 0;
      const until = moving ? Math.min(t1, now + r.left / r.rate) : t1;
      const dt = until - now;
      this.replicaSeconds += this.created * dt;
      if (load > this.ready * capacityPerReplica) this.overloadSeconds += dt;
      if (moving) {
        const moved = Math.min(r.left, r.rate * dt);
        r.left -= moved;
        this.copiedMiB += moved;
        if (r.left <= EPS * Math.max(1, r.total)) {
          this.copiedMiB += r.left;
          this.complete(until);
        }
      }
      now = until;
    }
  }

  private complete(t: number): void {
    const r = this.running!;
    this.running = undefined;
    this.settle(t, r.from, r.to);
    this.startNext(t);
    this.update();
  }

  /** The partitions now sit on `to` brokers: removed ones go (and are remembered for the regret tally). */
  private settle(t: number, from: number, to: number): void {
    this.settled = to;
    for (let i = to; i < from; i++) this.removals.push(t);
    if (this.removalsHead > 4096) {
      this.removals.splice(0, this.removalsHead);
      this.removalsHead = 0;
    }
  }

  /** Start the rebalance from the brokers holding the partitions to spec.replicas, if they differ. */
  private startNext(t: number): void {
    const from = this.settled;
    const to = this.spec;
    if (to === from) return;
    const k = Math.abs(to - from);
    if (to > from) this.countAdded(t, k);
    // components/queue/rebalance.ts: what moves, and at what rate (0 for a removal of every broker).
    const { movedMiB: total, rateMiBps: rate } = rebalanceMove(this.model.dataMiB, from, to, this.model.throttleMiBps);
    if (total <= 0) {
      this.settle(t, from, to);
      return;
    }
    this.running = { from, to, total, left: total, rate };
  }

  /** k brokers start receiving partitions at t: bootstraps, and regrets for removals within the window. */
  private countAdded(t: number, k: number): void {
    this.bootstraps += k;
    const window = this.model.regretWindowSeconds;
    for (let i = 0; i < k; i++) {
      while (this.removalsHead < this.removals.length && t - (this.removals[this.removalsHead] as number) > window) this.removalsHead++;
      if (this.removalsHead >= this.removals.length) break;
      this.regretted++;
      this.removalsHead++;
    }
  }

  /** Pods that exist and brokers that serve, from spec.replicas and the rebalance under way. */
  private update(): void {
    const r = this.running;
    this.ready = r ? r.from : this.settled;
    this.created = Math.max(this.spec, r ? Math.max(r.from, r.to) : this.settled);
  }
}
