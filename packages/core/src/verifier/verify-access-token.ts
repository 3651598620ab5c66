import type { AuthRequirement } from '../rules/authorize.js';
import type { EntraVerifier } from './create-verifier.js';
import { createEntraVerifier } from './entra-verifier.js';
import type { EntraVerifierConfig } from './verifier-options.js';
import type { VerifiedAccessToken } from '../token/verified-token.js';

/** Distinct option sets verifyAccessToken() keeps verifiers for before it refuses a new one. */
export const MAX_ONE_SHOT_VERIFIERS = 16;

const byObject = new WeakMap<object, EntraVerifier>();
const byValue = new Map<string, EntraVerifier>();
const identities = new WeakMap<object, number>();
let nextIdentity = 0;

/** Functions and class instances (a KeyObject, a CryptoKey) compare by identity. */
function identity(value: object): string {
  let id = identities.get(value);
  if (id === undefined) identities.set(value, (id = ++nextIdentity));
  return `#${id}`;
}

/** A string equal for options equal by value: plain objects and arrays by content, the rest by identity. */
function keyOf(value: unknown, depth = 0): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return identity(value);
  if (typeof value !== 'object' || value === null) return `${typeof value}:${String(value)}`;
  if (depth > 8) return identity(value);
  if (Array.isArray(value)) return `[${value.map((item) => keyOf(item, depth + 1)).join(',')}]`;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return identity(value);
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${keyOf(record[key], depth + 1)}`).join(',')}}`;
}

function verifierFor(options: EntraVerifierConfig): EntraVerifier {
  const known = byObject.get(options);
  if (known) return known;
  const key = keyOf(options);
  let verifier = byValue.get(key);
  if (!verifier) {
    if (byValue.size >= MAX_ONE_SHOT_VERIFIERS) {
      throw new TypeError(
        `entra-verify: verifyAccessToken() was called with ${MAX_ONE_SHOT_VERIFIERS + 1} different options; each needs its own verifier and key fetches. Options are compared by value, but functions (fetch, now, onEvent, check, an allowedTenants callback) and keys by identity, so a new function per call makes new options every time. Create one verifier at start-up with createEntraVerifier(options) and call verifier.verify(token)`,
      );
    }
    verifier = createEntraVerifier(options);
    byValue.set(key, verifier);
  }
  byObject.set(options, verifier);
  return verifier;
}

/**
 * One-shot form of `createEntraVerifier(options).verify(token, requirement)`. One verifier (and
 * its key cache) is kept per options equal by value, so options written inline on every call
 * reuse it: plain values compare by content, functions (`fetch`, `onEvent`, `check`, …) and keys
 * by identity. After 16 different option sets it refuses (TypeError) instead of building a
 * verifier per call: make one with `createEntraVerifier` then.
 */
export function verifyAccessToken(token: string, options: EntraVerifierConfig, requirement?: AuthRequirement): Promise<VerifiedAccessToken> {
  let verifier: EntraVerifier;
  try {
    verifier = verifierFor(options);
  } catch (error) {
    return Promise.reject(error);
  }
  return verifier.verify(token, requirement);
}
