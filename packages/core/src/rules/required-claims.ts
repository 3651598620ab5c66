// Required claims with API Management's semantics (validate-jwt and validate-azure-ad-token,
// `<required-claims><claim name match separator><value/>…</claim>`): each claim must be present
// and, when values are listed, hold all of them (`match="all"`, the default) or at least one
// (`match="any"`); with a separator, a string claim holds several values ("a,b,c"). Sources:
// https://learn.microsoft.com/azure/api-management/validate-jwt-policy#claim-attributes and
// https://learn.microsoft.com/azure/api-management/validate-azure-ad-token-policy#claim-attributes.
//
// A claim that is missing or does not match is refused with `required_claim_not_met`, 403
// `insufficient_scope` (RFC 6750 §3.1: "the request requires higher privileges than provided by
// the access token"): the token is authentic and for this API, and a new token for the same caller
// would carry the same claims, so a 401 (which invites the client to get a new token and retry)
// would only start a loop. API Management answers 401 by default because its policy bundles claims
// with validation; its own "authorize access to operations based on token claims" example answers
// 403 for the same decision.
import { authError, type EntraAuthErrorCode } from '../errors.js';
import { escapeControls } from '../printable.js';
import type { EntraAccessTokenClaims } from '../token/claims.js';

/** One required claim, as API Management's `<claim name match separator><value/>…</claim>`. */
export interface RequiredClaim {
  /** The claim's name as it appears in the token, e.g. `ctry`, `xms_cc`, `extension_tier`. */
  name: string;
  /** Accepted values, compared exactly (case-sensitive). Omitted: the claim only has to be present. */
  values?: readonly string[];
  /** `all` (default): every value must be present; `any`: at least one. */
  match?: 'all' | 'any';
  /** Splits a string claim into values, e.g. `","` or `" "`. */
  separator?: string;
}

/** The codes a failed required claim can be refused with; `required_claim_not_met` unless a caller keeps its own. */
export type RequiredClaimsFailure = Extract<EntraAuthErrorCode, 'required_claim_not_met' | 'missing_claim' | 'insufficient_scope'>;

/** The claim's values as strings: a string (split by the separator), or an array of strings, numbers and booleans. */
function claimValues(value: unknown, separator: string | undefined): Set<string> {
  const values = new Set<string>();
  const add = (item: unknown) => {
    if (typeof item === 'number' || typeof item === 'boolean') values.add(String(item));
    if (typeof item !== 'string') return;
    if (separator === undefined) values.add(item);
    else for (const part of item.split(separator)) if (part !== '') values.add(part);
  };
  if (Array.isArray(value)) for (const item of value) add(item);
  else add(value);
  return values;
}

const listed = (values: readonly string[]) => values.map((v) => JSON.stringify(escapeControls(v))).join(', ');

/**
 * Throws an `EntraAuthError` unless every rule holds: `required_claim_not_met` (403) by
 * default; `failure` lets a caller keep another code (forward-auth answers API Management's
 * policy-level claims with `missing_claim`, 401, as API Management does).
 */
export function checkRequiredClaims(claims: EntraAccessTokenClaims, rules: readonly RequiredClaim[], failure: RequiredClaimsFailure = 'required_claim_not_met'): void {
  for (const rule of rules) {
    const raw = (claims as Record<string, unknown>)[rule.name];
    const match = rule.match ?? 'all';
    const held = raw === undefined || raw === null ? undefined : claimValues(raw, rule.separator);
    const wanted = rule.values ?? [];
    const passes = held !== undefined && (wanted.length === 0 || (match === 'any' ? wanted.some((v) => held.has(v)) : wanted.every((v) => held.has(v))));
    if (passes) continue;
    const found =
      held === undefined
        ? 'the token has no such claim'
        : `the token's ${held.size} value${held.size === 1 ? '' : 's'} do not include ${match === 'any' ? 'any of them' : listed(wanted.filter((v) => !held.has(v)))}`;
    const expected = wanted.length === 0 ? 'be present' : `hold ${match} of ${listed(wanted)}${rule.separator === undefined ? '' : ` (separated by ${JSON.stringify(rule.separator)})`}`;
    throw authError(
      failure,
      'The token lacks a claim this operation requires.',
      `Required claim "${escapeControls(rule.name)}" must ${expected}; ${found}. Optional claims are configured on the API's app registration (Token configuration); group and role claims need assignments.`,
    );
  }
}

/** Check `requiredClaims` as written (an option or a requirement), so a typo fails at start-up; returns it frozen. */
export function checkedRequiredClaims(value: unknown, where: string): readonly RequiredClaim[] {
  const fail = (message: string): never => {
    throw new TypeError(`entra-verify: ${where} ${message}`);
  };
  if (!Array.isArray(value) || value.length === 0) return fail('must be a non-empty array of { name, values?, match?, separator? }');
  return Object.freeze(
    value.map((rule: unknown, index) => {
      const at = `[${index}]`;
      if (typeof rule !== 'object' || rule === null) return fail(`${at} must be an object { name, values?, match?, separator? }`);
      const { name, values, match, separator, ...rest } = rule as Record<string, unknown>;
      const unknown = Object.keys(rest);
      if (unknown.length) fail(`${at} has unknown key "${unknown[0]}"; known: name, values, match, separator`);
      if (typeof name !== 'string' || name === '') fail(`${at}.name must be the claim's name, e.g. "ctry"`);
      if (values !== undefined && (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== 'string'))) fail(`${at}.values must be a non-empty array of strings (omit it to require only that the claim is present)`);
      if (match !== undefined && match !== 'all' && match !== 'any') fail(`${at}.match must be "all" or "any"`);
      if (separator !== undefined && (typeof separator !== 'string' || separator === '')) fail(`${at}.separator must be a non-empty string`);
      return Object.freeze({ ...(rule as RequiredClaim), ...(values ? { values: Object.freeze([...(values as string[])]) } : {}) });
    }),
  );
}
