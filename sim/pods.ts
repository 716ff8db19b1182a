/**
 * The StatefulSet's pods as the StatefulSet controller creates and removes them
 * (kubernetes `pkg/controller/statefulset/stateful_set_control.go`), and what a new pod copies
 * before it is ready.
 *
 * - Ordinals are contiguous, created lowest first and removed highest first. With `OrderedReady`
 *   (`monotonic`) pod N is created only when pods 0…N−1 are Running and Ready, so a scale-up of k
 *   replicas takes k bootstraps one after another; with `Parallel` every missing pod is created at once.
 *   Removal is immediate here in both modes (the controller deletes one pod per pass in
 *   `OrderedReady`, each after its grace period: seconds, not modelled).
 * - A bootstrap is a fixed time, or a copy: `dataMiB` at `copyMiBps`, and when a source bandwidth is
 *   given, every concurrent copy gets min(copy rate, source ÷ concurrent copies).
 * - A pod re-created on a claim that was kept (a removal of a ready pod, the claim retained) resumes
 *   from its data and copies only the WAL written since (`walMiBps` × time away), unless that exceeds
 *   what the primary kept for it (`walKeepMiB`): then it copies everything again.
 */

export type PodManagementPolicy = "OrderedReady" | "Parallel";

export interface PodsModel {
  readonly podManagement: PodManagementPolicy;
  /** Seconds of a fixed bootstrap; undefined for a copy model. */
  readonly bootstrapSeconds?: number;
  readonly dataMiB: number;
  readonly copyMiBps?: number;
  /** @default Infinity */
  readonly sourceMiBps?: number;
  /** WAL written per second on the primary; undefined: a re-created pod copies everything. */
  readonly walMiBps?: number;
  /** WAL the primary keeps for a replica that has gone. @default Infinity */
  readonly walKeepMiB?: number;
  /** How long after a removal a re-created pod counts as a regretted scale-down. */
  readonly regretWindowSeconds: number;
}

const EPS = 1e-9;

/** Claims of removed pods: when their data was last current (NaN: no usable data). */
type ClaimState = number;

export class Pods {
  /** `spec.replicas`. */
  spec: number;
  /** Pods that exist (ready or copying), ordinals 0 … created−1. */
  created: number;
  ready: number;
  /** Work left for each copying pod (MiB, or seconds for a fixed bootstrap), by ordinal, lowest first. */
  private readonly copying: { ordinal: number; left: number; full: boolean }[] = [];
  private readonly claims: ClaimState[] = [];
  private readonly removals: number[] = [];
  private removalsHead = 0;

  // Tallies.
  bootstraps = 0;
  resumed = 0;
  regretted = 0;
  copiedMiB = 0;
  replicaSeconds = 0;
  overloadSeconds = 0;

  constructor(
    private readonly model: PodsModel,
    initial: number,
  ) {
    this.spec = initial;
    this.created = initial;
    this.ready = initial;
    for (let i = 0; i < initial; i++) this.claims.push(0);
  }

  get copyingCount(): number {
    return this.copying.length;
  }

  /** Set `spec.replicas` at time t: remove pods above it at once, create what the policy allows. */
  scaleTo(t: number, next: number): void {
    this.spec = next;
    while (this.created > next) this.removeTop(t);
    if (this.removalsHead > 4096) {
      this.removals.splice(0, this.removalsHead);
      this.removalsHead = 0;
    }
    this.createAllowed(t);
  }

  /**
   * Advance from t0 to t1 at a constant load: copies progress (sharing the source), pods become
   * ready (and, in OrderedReady, the next one is created), and the costs accrue.
   */
  advance(t0: number, t1: number, load: number, capacityPerReplica: number): void {
    let now = t0;
    while (now < t1 - EPS) {
      const n = this.copying.length;
      let until = t1;
      let rate = 0;
      if (n > 0) {
        rate = this.rate(n);
        let least = Infinity;
        for (const c of this.copying) least = Math.min(least, c.left);
        until = Math.min(t1, now + least / rate);
      }
      const dt = until - now;
      this.replicaSeconds += this.created * dt;
      if (load > this.ready * capacityPerReplica) this.overloadSeconds += dt;
      if (n > 0) {
        for (const c of this.copying) c.left -= rate * dt;
        if (this.model.bootstrapSeconds === undefined) this.copiedMiB += rate * dt * n;
        this.finishCopies(until);
      }
      now = until;
    }
  }

  private rate(concurrent: number): number {
    const m = this.model;
    if (m.bootstrapSeconds !== undefined) return 1;
    const copy = m.copyMiBps ?? Infinity;
    return Math.min(copy, (m.sourceMiBps ?? Infinity) / concurrent);
  }

  private finishCopies(t: number): void {
    let finished = false;
    for (let i = this.copying.length - 1; i >= 0; i--) {
      const c = this.copying[i] as { left: number };
      if (c.left <= EPS * Math.max(1, this.model.dataMiB)) {
        this.copying.splice(i, 1);
        this.ready++;
        finished = true;
      }
    }
    if (finished) this.createAllowed(t);
  }

  private createAllowed(t: number): void {
    const ordered = this.model.podManagement === "OrderedReady";
    while (this.created < this.spec && (!ordered || this.copying.length === 0)) this.create(t);
  }

  private create(t: number): void {
    const ordinal = this.created++;
    this.bootstraps++;
    while (this.removalsHead < this.removals.length && t - (this.removals[this.removalsHead] as number) > this.model.regretWindowSeconds)
      this.removalsHead++;
    if (this.removalsHead < this.removals.length) {
      this.regretted++;
      this.removalsHead++;
    }
    const work = this.workFor(ordinal, t);
    if (work.left <= 0) {
      this.ready++;
      return;
    }
    this.copying.push({ ordinal, left: work.left, full: work.full });
  }

  /** What a pod created at t on ordinal's claim must copy: the WAL since it left, or everything. */
  private workFor(ordinal: number, t: number): { left: number; full: boolean } {
    const m = this.model;
    if (m.bootstrapSeconds !== undefined) {
      this.copiedMiB += m.dataMiB;
      return { left: m.bootstrapSeconds, full: true };
    }
    const since = this.claims[ordinal];
    if (m.walMiBps !== undefined && since !== undefined && !Number.isNaN(since)) {
      const wal = m.walMiBps * (t - since);
      if (wal <= (m.walKeepMiB ?? Infinity)) {
        this.resumed++;
        return { left: wal, full: false };
      }
    }
    return { left: m.dataMiB, full: true };
  }

  private removeTop(t: number): void {
    const ordinal = --this.created;
    const last = this.copying[this.copying.length - 1];
    if (last && last.ordinal === ordinal) {
      this.copying.pop();
      // A full copy cut short leaves no usable data; a catch-up cut short keeps the old data.
      this.claims[ordinal] = last.full ? NaN : (this.claims[ordinal] ?? NaN);
    } else {
      this.ready--;
      this.claims[ordinal] = t;
    }
    this.removals.push(t);
  }
}
