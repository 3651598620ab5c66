// Fault injection per endpoint: what a verifier's key cache must survive in production.
import type { FakeEndpoint } from './request-log.js';

/** What to do instead of answering normally; set per endpoint with `entra.faults.set(endpoint, fault)`. */
export interface FakeFault {
  /** Answer with this HTTP status and an Entra-shaped error body (e.g. 500, 503, 429). */
  status?: number;
  /** Seconds for a `Retry-After` header (typical with 429 and 503). */
  retryAfter?: number;
  /** Wait this long before answering; `Infinity` hangs until the caller aborts. */
  delayMs?: number;
  /** Answer 200 with a broken body instead of the real one. */
  body?: 'malformed-json' | 'empty-key-set' | 'oversized';
  /** Size of the `oversized` body in bytes (default 2 MiB). */
  oversizedBytes?: number;
  /** Apply to the next N matching requests only (default: until cleared). */
  times?: number;
}

/** An endpoint a fault applies to, or `'*'` for all of them. */
export type FaultTarget = Exclude<FakeEndpoint, 'unknown'> | '*';

/** The fault table behind `entra.faults`: `set(endpoint | '*', fault)`, `clear()`. */
export class FaultPlan {
  private readonly faults = new Map<FaultTarget, FakeFault & { remaining: number }>();

  /** Inject a fault for an endpoint, or `'*'` for all of them. Replaces an earlier one. */
  set(endpoint: FaultTarget, fault: FakeFault): void {
    this.faults.set(endpoint, { ...fault, remaining: fault.times ?? Number.POSITIVE_INFINITY });
  }

  /** Remove the fault of one endpoint, or every fault. */
  clear(endpoint?: FaultTarget): void {
    if (endpoint) this.faults.delete(endpoint);
    else this.faults.clear();
  }

  /** The fault that applies to this request, consuming one use of it. */
  take(endpoint: FakeEndpoint): FakeFault | undefined {
    for (const target of [endpoint, '*'] as const) {
      if (target === 'unknown') continue;
      const fault = this.faults.get(target);
      if (!fault) continue;
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.faults.delete(target);
      return fault;
    }
    return undefined;
  }
}

/** Resolve after `ms`, or reject as soon as the caller's request is aborted. */
export function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      if (timer !== undefined) clearTimeout(timer);
      reject(signal?.reason ?? new DOMException('The operation was aborted.', 'AbortError'));
    };
    if (signal?.aborted) return onAbort();
    const timer = Number.isFinite(ms) ? setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms) : undefined;
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
