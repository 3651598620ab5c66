// What operators see through `onEvent`. Events carry codes, URLs, key ids and who was refused
// (tenant, client app, token id), never a token.
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

/**
 * A fetch found keys added or removed (Entra rotates its signing keys every few weeks). Removals
 * are reported only once confirmed: a key missing from one response keeps verifying until a fetch
 * at least `jwks.unknownKidCooldownMs` later still lacks it (Microsoft's front ends serve
 * different key sets for a while), so `removed` names keys that have stopped verifying now.
 */
export interface KeySetRotatedEvent {
  /** Discriminant. */
  type: 'key_set_rotated';
  /** The key set's URL. */
  url: string;
  /** Key ids new in this fetch. */
  added: string[];
  /** Key ids whose removal this fetch confirmed (missing from it and from one at least a cooldown earlier). */
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

/**
 * A token was refused: by a rule, by the route's requirement (a 403 from `verify(token,
 * requirement)` or from an adapter's route guard), or by a `check`. Carries what an operator
 * needs to act (the code, the hint, who was refused, what the route required) and never the
 * token itself. Values read from the token are escaped and cut to 100 characters.
 */
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
  /** For `verification_failed`: the underlying error (with its stack), for the operator. */
  cause?: unknown;
  /** The token's tenant (`tid`), when it has one. */
  tenantId?: string;
  /** The client application that requested the token (`azp` in v2 tokens, `appid` in v1). */
  clientAppId?: string;
  /** Entra's unique token identifier (`uti`), to find the sign-in in Entra's logs. */
  tokenId?: string;
  /** The authority that judged the token: its name in a verifier with several, else the configured authority URL or `<authority host>/<tenant>`. */
  authority?: string;
  /** What the route required (scopes, roles, app permissions, match, …), for refusals of a requirement. */
  requirement?: Record<string, string | string[]>;
  /**
   * True when `tenantId`, `clientAppId` and `tokenId` come from a token whose signature verified.
   * False when the token was refused before (a forgery, a tampered or malformed token): the values
   * are then whatever the token says, so never act on them alone.
   */
  claimsVerified: boolean;
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
