// Refusal log lines, bounded: one line per key (code and tenant) a minute, a count of the lines
// held back reported with the key's next line, at most 100 lines a minute in all, and at most
// 1,000 keys in memory. A flood of refusals, even one that names a new tenant in every forged
// token, costs a few lines a minute and a fixed amount of memory.

interface KeyWindow {
  /** When the key's last line was written. */
  loggedAt: number;
  /** Lines held back since. */
  suppressed: number;
}

/** What {@link LogRateLimit.admit} lets through: how many lines were held back before it. */
export interface AdmittedLine {
  /** Lines with the same key held back since the key's last line. */
  suppressed: number;
  /** Lines of other keys that were held back without a key of their own (the caps), since the last report. */
  suppressedOther: number;
}

/** A per-key and global limit on log lines, with bounded memory. */
export class LogRateLimit {
  readonly #keys = new Map<string, KeyWindow>();
  #windowStart = Number.NEGATIVE_INFINITY;
  #linesInWindow = 0;
  #suppressedOther = 0;
  #prunedAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly windowMs = 60_000,
    readonly maxLinesPerWindow = 100,
    readonly maxKeys = 1000,
  ) {}

  /** Whether a line with this key may be written at `now`; undefined holds it back (and counts it). */
  admit(key: string, now: number): AdmittedLine | undefined {
    if (!(now - this.#windowStart < this.windowMs && now >= this.#windowStart)) {
      this.#windowStart = now;
      this.#linesInWindow = 0;
    }
    let entry = this.#keys.get(key);
    if (entry && now - entry.loggedAt < this.windowMs && now >= entry.loggedAt) {
      entry.suppressed++;
      return undefined;
    }
    if (this.#linesInWindow >= this.maxLinesPerWindow) {
      if (entry) entry.suppressed++;
      else this.#suppressedOther++;
      return undefined;
    }
    if (!entry) {
      if (this.#keys.size >= this.maxKeys) this.#prune(now);
      if (this.#keys.size >= this.maxKeys) {
        this.#suppressedOther++;
        return undefined;
      }
      entry = { loggedAt: now, suppressed: 0 };
      this.#keys.set(key, entry);
    }
    const admitted = { suppressed: entry.suppressed, suppressedOther: this.#suppressedOther };
    entry.loggedAt = now;
    entry.suppressed = 0;
    this.#suppressedOther = 0;
    this.#linesInWindow++;
    return admitted;
  }

  /** Drop keys whose window has passed (their held-back count moves to the shared one); at most once a second. */
  #prune(now: number): void {
    if (now - this.#prunedAt < 1000 && now >= this.#prunedAt) return;
    this.#prunedAt = now;
    for (const [key, entry] of this.#keys) {
      if (now - entry.loggedAt >= this.windowMs || now < entry.loggedAt) {
        this.#suppressedOther += entry.suppressed;
        this.#keys.delete(key);
      }
    }
  }
}
