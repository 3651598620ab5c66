// The issuers an authority accepts, as far as its options tell without fetching anything, and
// which configured authority an unknown issuer comes closest to (for the hint of a refusal).
import { v1Issuer, v2Issuer } from '../clouds.js';
import { shown } from '../printable.js';
import type { ResolvedOptions } from '../rules/rule-config.js';
import { TENANT_TEMPLATE } from '../token/issuer.js';

/** An issuer an authority accepts: exact, or a `{tenantid}` template. */
export interface KnownIssuer {
  /** The issuer, or the template with `{tenantid}` as its first path segment. */
  value: string;
  /** True for a template (multi-tenant authorities). */
  template: boolean;
}

/**
 * A workforce authority's issuers: its tenant's v1 and v2 forms in its cloud (templates for
 * `common` / `organizations`). `primary` are the forms its tokenVersion accepts; the others are
 * only selected when no authority accepts them, so a v1 token still meets the rule that explains
 * "this is a v1 token but tokenVersion is 2". Discovery authorities have none until their
 * metadata loads.
 */
export function knownIssuers(config: ResolvedOptions): { primary: KnownIssuer[]; secondary: KnownIssuer[] } {
  if (config.authority !== undefined) return { primary: [], secondary: [] };
  const template = config.tenant.kind === 'multi';
  const tenant = config.tenant.kind === 'single' ? config.tenant.tenantId : TENANT_TEMPLATE;
  const primary: KnownIssuer[] = [];
  const secondary: KnownIssuer[] = [];
  const v1 = v1Issuer(config.cloud, tenant);
  if (v1 !== undefined) (config.tokenVersion === 2 ? secondary : primary).push({ value: v1, template });
  (config.tokenVersion === 1 ? secondary : primary).push({ value: v2Issuer(config.cloud, tenant), template });
  return { primary, secondary };
}

/** Origin, tenant segment and the rest of an issuer, by index arithmetic. */
function partsOf(issuer: string): { origin: string; tenant: string; rest: string } {
  const scheme = issuer.indexOf('://');
  const slash = scheme === -1 ? -1 : issuer.indexOf('/', scheme + 3);
  if (slash === -1) return { origin: issuer, tenant: '', rest: '' };
  const end = issuer.indexOf('/', slash + 1);
  return { origin: issuer.slice(0, slash), tenant: end === -1 ? issuer.slice(slash + 1) : issuer.slice(slash + 1, end), rest: end === -1 ? '' : issuer.slice(end) };
}

/**
 * The configured authority an unknown issuer resembles most, with what differs: the same host
 * (another tenant, or another version's path), or the same tenant (another cloud's host).
 * Compares a few slices per issuer: linear in the lengths.
 */
export function closestAuthority(iss: string, listing: ReadonlyArray<{ authority: { name: string }; issuers: readonly string[] }>): string | undefined {
  const token = partsOf(iss);
  let best: { score: number; text: string } | undefined;
  for (const { authority, issuers } of listing) {
    for (const issuer of issuers) {
      const known = partsOf(issuer);
      const sameOrigin = known.origin === token.origin;
      const sameTenant = known.tenant === TENANT_TEMPLATE || known.tenant.toLowerCase() === token.tenant.toLowerCase();
      const sameRest = known.rest === token.rest;
      const score = (sameOrigin ? 2 : 0) + (sameTenant ? 2 : 0) + (sameRest ? 1 : 0);
      if (score < 2 || (best && best.score >= score)) continue;
      const difference = !sameOrigin
        ? `another host: ${shown(token.origin, 120)} instead of ${known.origin} (another cloud or authority)`
        : !sameTenant
          ? `another tenant: ${shown(token.tenant, 64)} instead of ${known.tenant}`
          : `another path: ${shown(token.rest, 60)} instead of ${JSON.stringify(known.rest)} (the other token version)`;
      best = { score, text: `"${authority.name}" (${issuer}): ${difference}` };
    }
  }
  return best?.text;
}
