// What operators see through `onEvent`. Events carry codes, URLs and key ids, never a token.
import type { EntraAuthErrorCode } from './errors.js';

export type KeySetFetchReason = 'cold' | 'refresh' | 'unknown_kid';

export type EntraVerifierEvent =
  | { type: 'key_set_fetched'; url: string; reason: KeySetFetchReason; kids: string[] }
  | { type: 'key_set_rotated'; url: string; added: string[]; removed: string[] }
  | { type: 'key_set_fetch_failed'; url: string; reason: KeySetFetchReason; message: string; status?: number; servingStale: boolean }
  | { type: 'discovery_fetched'; url: string; issuer: string; jwksUri: string }
  /** `hint` is the operator's explanation (what was expected, what was found); it never contains the token. */
  | { type: 'token_rejected'; code: EntraAuthErrorCode; status: number; description: string; hint: string };

export type EventSink = (event: EntraVerifierEvent) => void;

/** An operator's handler must never break verification. */
export function safeSink(handler: EventSink | undefined): EventSink {
  if (!handler) return () => {};
  return (event) => {
    try {
      handler(event);
    } catch {
      // ignored on purpose: observability is best-effort
    }
  };
}
