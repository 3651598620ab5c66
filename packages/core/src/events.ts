// What operators see through `onEvent`. Events carry codes, URLs and key ids, never a token.
import type { EntraAuthErrorCode } from './errors.js';

/** Why a key set was fetched: first use, the periodic refresh, or a token naming an unknown `kid`. */
export type KeySetFetchReason = 'cold' | 'refresh' | 'unknown_kid';

/** A key set was fetched and its keys are in use. */
export interface KeySetFetchedEvent {
  /** Discriminant. */
  type: 'key_set_fetched';
  /** The key set's URL. */
  url: string;
  /** What caused the fetch. */
  reason: KeySetFetchReason;
  /** Key ids now served. */
  kids: string[];
}

/** A refresh found keys added or removed (Entra rotates its signing keys every few weeks). */
export interface KeySetRotatedEvent {
  /** Discriminant. */
  type: 'key_set_rotated';
  /** The key set's URL. */
  url: string;
  /** Key ids new in this fetch. */
  added: string[];
  /** Key ids gone since the last fetch. */
  removed: string[];
}

/** A key-set fetch failed; with `servingStale`, verification goes on with the last good keys. */
export interface KeySetFetchFailedEvent {
  /** Discriminant. */
  type: 'key_set_fetch_failed';
  /** The key set's URL. */
  url: string;
  /** What caused the fetch. */
  reason: KeySetFetchReason;
  /** What went wrong (an HTTP status, a timeout, a body that is no key set). */
  message: string;
  /** The HTTP status, when there was an answer. */
  status?: number;
  /** True when the previous keys are still used (stale-if-error). */
  servingStale: boolean;
}

/** Discovery mode read the authority's metadata. */
export interface DiscoveryFetchedEvent {
  /** Discriminant. */
  type: 'discovery_fetched';
  /** The metadata document's URL. */
  url: string;
  /** The issuer it names. */
  issuer: string;
  /** The key set URL it names. */
  jwksUri: string;
}

/** A token was refused. Carries what a log needs and never the token itself. */
export interface TokenRejectedEvent {
  /** Discriminant. */
  type: 'token_rejected';
  /** Why the token was refused. */
  code: EntraAuthErrorCode;
  /** The HTTP status the refusal maps to. */
  status: number;
  /** What the client is told. */
  description: string;
  /** The operator's explanation (what was expected, what was found); it never contains the token. */
  hint: string;
}

/** What `onEvent` receives; switch on `type`. */
export type EntraVerifierEvent = KeySetFetchedEvent | KeySetRotatedEvent | KeySetFetchFailedEvent | DiscoveryFetchedEvent | TokenRejectedEvent;

/** A handler for verifier events. */
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
