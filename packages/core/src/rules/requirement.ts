// Requirements are checked like options: a key this library does not know (a typo, or a feature
// it lacks) would otherwise be ignored and leave the route open, so it throws a TypeError with the
// keys it knows, when a route guard is declared or at the first call that uses the requirement.
import { checkedCallers, checkedGuests } from './callers.js';
import { checkedRequiredClaims } from './required-claims.js';

/** Every key of an {@link AuthRequirement}, in the order hints list them. */
export const REQUIREMENT_KEYS = ['scopes', 'roles', 'appPermissions', 'match', 'authContext', 'authority', 'groups', 'requiredClaims', 'callers', 'guests', 'check'] as const;

const KNOWN = new Set<string>(REQUIREMENT_KEYS);
/** Requirement objects already checked: the hot path pays one WeakSet lookup. */
const checked = new WeakSet<object>();

const fail = (where: string, message: string): never => {
  throw new TypeError(`entra-verify: ${where} ${message}`);
};

function names(value: unknown, where: string, key: string, allowOne: boolean): void {
  if (allowOne && typeof value === 'string' && value !== '') return;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) fail(where, `${key} must be ${allowOne ? 'a name or ' : ''}an array of non-empty strings`);
}

/**
 * Throws a TypeError unless `requirement` is a requirement this library understands: only known
 * keys, each of the right type. Checked once per object (objects are remembered, not copied).
 */
export function assertRequirement(requirement: unknown, where = 'requirement'): void {
  if (typeof requirement !== 'object' || requirement === null) {
    if (requirement === undefined) return;
    return fail(where, `must be an object with any of ${REQUIREMENT_KEYS.join(', ')}`);
  }
  if (checked.has(requirement)) return;
  const r = requirement as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (!KNOWN.has(key)) fail(where, `has unknown key "${key}" (it would be ignored and leave the route open); known keys: ${REQUIREMENT_KEYS.join(', ')}`);
  }
  for (const key of ['scopes', 'roles', 'appPermissions', 'groups'] as const) if (r[key] !== undefined) names(r[key], where, key, false);
  for (const key of ['authContext', 'authority'] as const) if (r[key] !== undefined) names(r[key], where, key, true);
  if (r.match !== undefined && r.match !== 'all' && r.match !== 'any') fail(where, 'match must be "all" or "any"');
  if (r.requiredClaims !== undefined) checkedRequiredClaims(r.requiredClaims, `${where} requiredClaims`);
  checkedCallers(r.callers, `${where}:`);
  checkedGuests(r.guests, `${where}:`);
  if (r.check !== undefined && typeof r.check !== 'function') fail(where, 'check must be a function (auth, request?) => void | Promise<void>');
  checked.add(requirement);
}
