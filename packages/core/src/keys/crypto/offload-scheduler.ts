// `offload: 'auto'` (Node only): when to check a signature on libuv's thread pool instead of this
// thread. RSA verification is most of a verification's CPU, and node:crypto can run it on the
// pool (crypto.verify with a callback), so a process can use every core without workers.
//
// The rule: per event-loop turn the first verification runs inline, because it is then the only
// work this thread has; the others in the same turn go to the pool, and this thread moves on to
// the next request. A caller that awaits one verification at a time would only wait for the pool
// (its next call comes in the same turn, nothing overlaps), so when an offloaded check comes back
// and no other verification started while it was away, the next ones run inline again for a while.

/** Inline checks after an offload that nothing overlapped, before offloading is tried again. */
const SEQUENTIAL_STRETCH = 256;

export class OffloadScheduler {
  private inlineUsedThisTurn = false;
  /** Verifications started so far: tells whether any started while an offloaded one was away. */
  private started = 0;
  /** Run inline while `started` is at most this (a caller that awaits each verification in turn). */
  private inlineUntil = 0;
  private readonly endTurn = () => {
    this.inlineUsedThisTurn = false;
  };

  constructor(private readonly afterTurn: (callback: () => void) => void) {}

  /** Whether this verification goes to the pool; call {@link returned} when an offloaded one completes. */
  offload(): boolean {
    this.started++;
    if (!this.inlineUsedThisTurn) {
      this.inlineUsedThisTurn = true;
      this.afterTurn(this.endTurn);
      return false;
    }
    return this.started > this.inlineUntil;
  }

  /** A snapshot to hand to {@link returned}. */
  get mark(): number {
    return this.started;
  }

  /** An offloaded check (started at `mark`) came back; if nothing started meanwhile, the next {@link SEQUENTIAL_STRETCH} run inline. */
  returned(mark: number): void {
    if (this.started === mark) this.inlineUntil = this.started + SEQUENTIAL_STRETCH;
  }
}
