// Who a refused token says it is, for `token_rejected` events and log lines: its tenant, client
// app and token id (uti), never the token. Read from the claims once the signature held; before
// that, from the unverified payload, which the event marks (`claimsVerified: false`), since anyone
// can write it. Values are cut and escaped like every token-derived text.
import { escapeControls } from '../printable.js';
import { peekSmallPayload } from './parse-token.js';

/** The attribution fields of a refusal. */
export interface Attribution {
  /** `tid`. */
  tenantId?: string;
  /** `azp` (v2) or `appid` (v1). */
  clientAppId?: string;
  /** `uti`: Entra's unique token identifier, to find the sign-in in Entra's logs. */
  tokenId?: string;
  /** True when the values come from a token whose signature verified. */
  claimsVerified: boolean;
}

const MAX_LENGTH = 100;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? escapeControls(value.length > MAX_LENGTH ? `${value.slice(0, MAX_LENGTH)}…` : value) : undefined;

/** The attribution of a claims object (verified or not). */
export function attributionOf(claims: unknown, verified: boolean): Attribution {
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return { claimsVerified: false };
  const c = claims as Record<string, unknown>;
  const out: Attribution = { claimsVerified: verified };
  const tenantId = text(c.tid);
  const clientAppId = text(c.azp) ?? text(c.appid);
  const tokenId = text(c.uti);
  if (tenantId !== undefined) out.tenantId = tenantId;
  if (clientAppId !== undefined) out.clientAppId = clientAppId;
  if (tokenId !== undefined) out.tokenId = tokenId;
  return out;
}

/**
 * The payload of a token whose signature did not verify (or was not checked): parsed, never
 * trusted, and only when it is small (4 KiB, as an Entra token's is): a forger's 32 KiB payload
 * can take twenty signature checks' time to parse, and attribution must not hand that back.
 */
export function unverifiedClaims(payload: Uint8Array | undefined): unknown {
  return payload ? peekSmallPayload(payload) : undefined;
}

/** A requirement for an event: its names and match, without functions (`check`) or claim rules. */
export function requirementSummary(requirement: object | undefined): Record<string, string | string[]> | undefined {
  if (!requirement) return undefined;
  const out: Record<string, string | string[]> = {};
  for (const key of ['scopes', 'roles', 'appPermissions', 'groups', 'match', 'authContext', 'authority', 'callers', 'guests'] as const) {
    const value = (requirement as Record<string, unknown>)[key];
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value)) out[key] = value.filter((v): v is string => typeof v === 'string');
  }
  return Object.keys(out).length ? out : undefined;
}
