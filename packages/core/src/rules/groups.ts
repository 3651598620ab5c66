// Group membership from the `groups` claim, and what to do when Entra left the list out.
//
// Entra puts at most 200 group ids in a JWT (6 in the implicit flow); beyond that it writes a
// "groups overage" claim instead: `_claim_names: { groups: "src1" }` with `_claim_sources` pointing
// at Graph, or `hasgroups: true` in implicit-flow tokens. Microsoft's access token claims reference,
// "Groups overage claim" and the `hasgroups` row
// (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference#groups-overage-claim).
// A token without the list cannot prove membership either way, so it gets its own code,
// `groups_overage`, and the two ways out: app roles (assign the groups to app roles; `roles` has no
// overage), or the membership read from Microsoft Graph with the caller's token (on-behalf-of).
import { authError } from '../errors.js';
import { shown } from '../printable.js';
import type { EntraAccessTokenClaims } from '../token/claims.js';

/** Entra left the `groups` list out because it was too long (or the flow was implicit). */
export function hasGroupsOverage(claims: EntraAccessTokenClaims): boolean {
  const names: unknown = claims._claim_names;
  return (typeof names === 'object' && names !== null && !Array.isArray(names) && (names as Record<string, unknown>).groups !== undefined) || claims.hasgroups === true;
}

/** Throws `groups_overage` or `not_in_group` (both 403) unless the caller is in `all` / `any` of `groups`. */
export function checkGroups(claims: EntraAccessTokenClaims, groups: readonly string[], match: 'all' | 'any'): void {
  const held: unknown = claims.groups;
  if (Array.isArray(held)) {
    const ids = held.filter((id): id is string => typeof id === 'string');
    if (match === 'any' ? groups.some((g) => ids.includes(g)) : groups.every((g) => ids.includes(g))) return;
    const missing = groups.filter((g) => !ids.includes(g));
    throw authError('not_in_group', 'The caller is not in a group this operation requires.', `The route needs ${match} of groups [${groups.join(', ')}]; the token lists ${ids.length} group${ids.length === 1 ? '' : 's'}${ids.length ? ` (${ids.slice(0, 5).map((id) => shown(id, 60)).join(', ')}${ids.length > 5 ? ', …' : ''})` : ''} and lacks ${match === 'any' ? 'all of them' : missing.join(', ')}. Add the user to the group (membership shows in new tokens only).`);
  }
  if (hasGroupsOverage(claims)) {
    throw authError(
      'groups_overage',
      'The caller\'s group membership could not be determined from the token.',
      `The route needs ${match} of groups [${groups.join(', ')}], but the token carries a groups overage claim (${claims.hasgroups === true ? 'hasgroups: true' : '_claim_names.groups'}) instead of the list: the user is in more groups than fit in a token (200 for JWTs, 6 in the implicit flow). ` +
        'Either assign the groups to app roles of this API and require roles instead (the roles claim has no overage), or read the membership from Microsoft Graph with the caller\'s token (on-behalf-of, then POST /me/checkMemberGroups) in a check.',
    );
  }
  throw authError('not_in_group', 'The caller is not in a group this operation requires.', `The route needs ${match} of groups [${groups.join(', ')}], but the token has no groups claim. Add it on the API's app registration (Token configuration > Add groups claim, or groupMembershipClaims in the manifest); app-only tokens never carry groups.`);
}
