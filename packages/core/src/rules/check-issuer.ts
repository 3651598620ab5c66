// Steps 5-7: bind the signing key to the issuer, check tid, apply the tenant policy, then match
// the issuer exactly. Entra's keys are shared by all tenants; only these checks keep a token from
// another tenant (or another cloud) out.
import type { EntraAccessTokenClaims } from '../token/claims.js';
import { cloudsOfHost, v1Issuer, v2Issuer, type CloudEndpoints } from '../clouds.js';
import { authError } from '../errors.js';
import { isGuid } from '../guid.js';
import { shown } from '../printable.js';
import { issuerTenant, TENANT_TEMPLATE } from '../token/issuer.js';
import type { TenantRule } from './rule-config.js';

/** The tenant of personal Microsoft accounts (the `tid` Entra writes for them; Microsoft's ID token claims reference). */
export const PERSONAL_ACCOUNTS_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';

export interface IssuerContext {
  cloud: CloudEndpoints;
  tenant: TenantRule;
  tokenVersion: 1 | 2 | 'any';
  /** Discovery mode: the issuer from the authority's metadata (may hold `{tenantid}`). */
  discoveredIssuer: string | undefined;
  /**
   * Discovery mode, when the metadata issuer names one tenant instead of `{tenantid}` (Azure AD B2C,
   * a tenant's own authority): that tenant, lower-cased. The token's `tid` is then optional.
   */
  discoveredTenant: string | undefined;
}

const NO_V1_ISSUER = 'Microsoft names no v1 issuer for this cloud, so only v2 tokens are accepted: set "accessTokenAcceptedVersion": 2 on the API\'s app registration, or name the v1 issuer host with cloud: { authorityHost, v1IssuerHost }.';

const missingIssuer = () => authError('missing_claim', 'The token has no issuer.', 'The token has no "iss" claim; Entra always sets it.');

function requireTid(claims: EntraAccessTokenClaims, ctx: IssuerContext): string {
  const tid: unknown = claims.tid;
  if (tid === undefined) {
    const advice =
      ctx.discoveredIssuer === undefined
        ? 'Every Entra ID access token names its tenant in tid. Azure AD B2C tokens have none: verify them in discovery mode, with authority set to the user flow (https://<tenant>.b2clogin.com/<tenant>.onmicrosoft.com/<user-flow>/v2.0).'
        : `The authority's metadata issuer ${shown(ctx.discoveredIssuer, 200)} is a multi-tenant template, so the tenant must come from tid. For Azure AD B2C, set authority to the user flow or custom policy (…/<tenant>.onmicrosoft.com/<user-flow>/v2.0), whose issuer names its one tenant.`;
    throw authError('missing_claim', 'The token has no tenant id.', `The token has no "tid" claim. ${advice}`);
  }
  if (typeof tid !== 'string' || !isGuid(tid)) {
    throw authError('issuer_mismatch', 'The token tenant id is not valid.', `The token's tid is ${shown(tid, 64)}, not a GUID. Entra always writes the tenant GUID.`);
  }
  return tid;
}

/** The tenant whose `{tenantid}` a key's issuer is bound to: tid, or the discovered issuer's tenant. */
function tenantForKey(claims: EntraAccessTokenClaims, ctx: IssuerContext): string {
  return ctx.discoveredTenant !== undefined && claims.tid === undefined ? ctx.discoveredTenant : requireTid(claims, ctx);
}

/**
 * A key issuer split around its one `{tenantid}`: key issuers come from the key set (a handful per
 * verifier, the same strings on every token), so the last split is kept.
 */
let lastSplit: { template: string; prefix: string; suffix: string } | undefined;
function splitTemplate(template: string): { prefix: string; suffix: string } | undefined {
  if (lastSplit?.template === template) return lastSplit;
  const at = template.indexOf(TENANT_TEMPLATE);
  if (at === -1 || template.indexOf(TENANT_TEMPLATE, at + 1) !== -1) return undefined;
  lastSplit = { template, prefix: template.slice(0, at), suffix: template.slice(at + TENANT_TEMPLATE.length) };
  return lastSplit;
}

/** Whether `value` is `template` with its one `{tenantid}` replaced by `tenant`, without building that string. */
function isTemplateFilledWith(template: string, tenant: string, value: string): boolean {
  const split = splitTemplate(template);
  if (split === undefined) return template === value;
  const { prefix, suffix } = split;
  return value.length === prefix.length + tenant.length + suffix.length && value.startsWith(prefix) && value.startsWith(tenant, prefix.length) && value.endsWith(suffix);
}

/** Step 5: a key that names an issuer may only sign for that issuer (a v1 issuer counts as its v2 twin). */
export function checkSigningKeyIssuer(keyIssuer: string | undefined, claims: EntraAccessTokenClaims, ctx: IssuerContext): void {
  if (keyIssuer === undefined) return;
  if (claims.iss === undefined) throw missingIssuer();
  const tid = tenantForKey(claims, ctx);
  const iss = claims.iss;
  // The usual case, compared in place: iss is the key's issuer with tid for its {tenantid}.
  if (isTemplateFilledWith(keyIssuer, tid, iss)) return;
  const bound = keyIssuer.split(TENANT_TEMPLATE).join(tid);
  const v2Twin = iss === v1Issuer(ctx.cloud, tid) && bound === v2Issuer(ctx.cloud, tid);
  if (iss === bound || v2Twin) return;
  const explanation =
    ctx.cloud.v1IssuerHost === undefined && bound === v2Issuer(ctx.cloud, tid) && typeof iss === 'string' && iss.endsWith(`/${tid}/`)
      ? NO_V1_ISSUER
      : typeof iss === 'string' && iss.includes(TENANT_TEMPLATE)
      ? 'The token carries the literal {tenantid} template, which Entra never issues: it was forged or hand-made.'
      : typeof iss === 'string' && issuerTenant(iss)?.toLowerCase() !== tid.toLowerCase()
        ? 'The tenant in iss differs from tid: the token was altered or forged.'
        : "The issuer host differs from the key's cloud: check the cloud option.";
  throw authError(
    'signing_key_issuer_mismatch',
    'The token was signed by a key that does not belong to its issuer.',
    `The signing key is published for issuer ${shown(bound, 200)} (tenant ${shown(tid, 64)}), but the token says iss ${shown(iss, 200)}. ${explanation}`,
  );
}

/** Step 6, first half: the token's tenant. tid is a GUID equal to the tenant in iss, or (B2C) the discovered issuer's tenant. */
export function checkTenant(claims: EntraAccessTokenClaims, ctx: IssuerContext): string {
  if (ctx.discoveredTenant !== undefined) return checkDiscoveredTenant(claims, ctx, ctx.discoveredTenant);
  const tid = requireTid(claims, ctx);
  if (claims.iss === undefined) throw missingIssuer();
  if (ctx.discoveredIssuer === undefined || ctx.discoveredIssuer.includes(TENANT_TEMPLATE)) {
    const inIssuer = typeof claims.iss === 'string' ? issuerTenant(claims.iss) : undefined;
    // Lower-cased only when they differ as written (Entra writes both the same).
    if (inIssuer !== tid && inIssuer?.toLowerCase() !== tid.toLowerCase()) {
      const template = inIssuer === TENANT_TEMPLATE ? ' A literal {tenantid} in iss means the token was hand-made from a discovery document template.' : '';
      throw authError('issuer_mismatch', 'The token issuer does not match its tenant.', `iss ${shown(claims.iss, 200)} names tenant ${shown(inIssuer ?? '(none)', 64)} but tid is "${tid}".${template}`);
    }
  }
  return tid.toLowerCase();
}

/**
 * A discovered issuer that names one tenant (B2C user flows and custom policies, a tenant's own
 * authority) decides the tenant: B2C access tokens carry no tid (B2C token overview, "Claims":
 * https://learn.microsoft.com/azure/active-directory-b2c/tokens-overview#claims); when a token
 * does carry one it must agree. The issuer itself is matched exactly in step 7.
 */
function checkDiscoveredTenant(claims: EntraAccessTokenClaims, ctx: IssuerContext, tenant: string): string {
  const tid: unknown = claims.tid;
  if (tid !== undefined && (typeof tid !== 'string' || tid.toLowerCase() !== tenant)) {
    throw authError('issuer_mismatch', 'The token issuer does not match its tenant.', `The authority's metadata issuer ${shown(ctx.discoveredIssuer, 200)} names tenant ${tenant}, but the token's tid is ${shown(tid, 64)}.`);
  }
  if (ctx.tenant.kind === 'single' && ctx.tenant.tenantId !== tenant) {
    throw authError('tenant_not_allowed', 'Tokens from this tenant are not accepted.', `The authority's metadata issuer ${shown(ctx.discoveredIssuer, 200)} names tenant ${tenant}, but the tenant option is ${ctx.tenant.tenantId}: every token from this authority is refused. Set tenant: "${tenant}" (for Azure AD B2C, the B2C tenant's GUID).`);
  }
  return tenant;
}

const notInAllowList = (tenantId: string, callback: boolean) =>
  authError('tenant_not_allowed', 'Tokens from this tenant are not accepted.', `Tenant ${tenantId} is not in allowedTenants${callback ? ' (the callback returned false)' : ''}. Add it to onboard the customer.`);

async function askCallback(callback: (tenantId: string) => boolean | Promise<boolean>, tenantId: string): Promise<void> {
  let allowed: boolean;
  try {
    allowed = (await callback(tenantId)) === true;
  } catch (cause) {
    throw authError('tenant_not_allowed', 'Tokens from this tenant are not accepted.', `The allowedTenants callback threw for tenant ${tenantId}, so the tenant was refused.`, { cause });
  }
  if (!allowed) throw notInAllowList(tenantId, true);
}

/** Step 6, second half: the tenant policy. Synchronous unless a callback decides. */
export function checkTenantPolicy(tenantId: string, rule: TenantRule): void | Promise<void> {
  if (rule.kind === 'single') {
    if (tenantId === rule.tenantId) return;
    throw authError('tenant_not_allowed', 'Tokens from this tenant are not accepted.', `The token is from tenant ${tenantId}; this API accepts tenant ${rule.tenantId} only. If the API is multi-tenant, set tenant: "organizations" with allowedTenants.`);
  }
  // "organizations" means work and school accounts: personal Microsoft accounts sign in through
  // their own tenant, which no allow-list, wildcard or callback can let in here.
  if (rule.segment === 'organizations' && tenantId === PERSONAL_ACCOUNTS_TENANT) {
    throw authError('tenant_not_allowed', 'Tokens from this tenant are not accepted.', `The token is from ${PERSONAL_ACCOUNTS_TENANT}, the tenant of personal Microsoft accounts, and tenant "organizations" accepts work and school accounts only. To serve personal accounts too, set tenant: "common" and allow that tenant.`);
  }
  if (rule.anyTenant || rule.allowList?.has(tenantId)) return;
  if (rule.callback) return askCallback(rule.callback, tenantId);
  throw notInAllowList(tenantId, false);
}

/** Step 7: exact match against the issuer forms allowed for this version and cloud. Returns the token version. */
export function checkIssuer(claims: EntraAccessTokenClaims, tenantId: string, ctx: IssuerContext): 1 | 2 {
  const iss = claims.iss;
  if (ctx.discoveredIssuer !== undefined) return checkDiscoveredIssuer(claims, tenantId, ctx, ctx.discoveredIssuer);
  // Use tid exactly as written in iss (case included): issuers compare as exact strings.
  const tid = issuerTenant(iss) ?? tenantId;
  const v1 = ctx.tokenVersion !== 2 ? v1Issuer(ctx.cloud, tid) : undefined;
  if (v1 !== undefined && iss === v1) return 1;
  const v2 = ctx.tokenVersion !== 1 ? v2Issuer(ctx.cloud, tid) : undefined;
  if (v2 !== undefined && iss === v2) return 2;
  const forms = [v1, v2].filter((form): form is string => form !== undefined);
  throw authError('issuer_mismatch', 'The token issuer is not accepted.', issuerHint(iss, tid, ctx, forms));
}

/**
 * Discovery mode: the issuer is the metadata's, exactly (`{tenantid}` → the token's tenant). The
 * version is the endpoint's: an issuer under /v2.0 is a v2 endpoint, so a B2C token (ver "1.0",
 * B2C's own claim-set version, with v2 claim names azp and scp) reports tokenVersion 2.
 */
function checkDiscoveredIssuer(claims: EntraAccessTokenClaims, tenantId: string, ctx: IssuerContext, discovered: string): 1 | 2 {
  const iss = claims.iss;
  if (iss === undefined) throw missingIssuer();
  let expected = discovered;
  if (ctx.discoveredTenant === undefined) {
    const inIssuer = typeof iss === 'string' ? issuerTenant(iss) : undefined;
    expected = discovered.split(TENANT_TEMPLATE).join(inIssuer?.toLowerCase() === tenantId ? inIssuer : tenantId);
  }
  if (iss === expected) return expected.endsWith('/v2.0') || expected.endsWith('/v2.0/') ? 2 : claims.ver === '1.0' ? 1 : 2;
  throw authError('issuer_mismatch', 'The token issuer is not accepted.', `Expected iss ${shown(expected, 200)} (from the authority's metadata), got ${shown(iss, 200)}. Check that the authority option names the user flow / tenant that issued the token.`);
}

const hostOf = (origin: string | undefined) => (origin === undefined ? '' : origin.slice(origin.indexOf('://') + 3));

function issuerHint(iss: string, tid: string, ctx: IssuerContext, expected: string[]): string {
  const base = `Expected iss ${expected.map((e) => shown(e, 200)).join(' or ')}, got ${shown(iss, 200)}.`;
  const v1Form = v1Issuer(ctx.cloud, tid);
  if (v1Form !== undefined && iss === v1Form && ctx.tokenVersion === 2) {
    return `${base} This is a v1 token (${hostOf(ctx.cloud.v1IssuerHost)} issuer) but tokenVersion is 2. Either set "accessTokenAcceptedVersion": 2 (requestedAccessTokenVersion in the new manifest) on the API's app registration so Entra issues v2 tokens, or set tokenVersion: 'any'.`;
  }
  if (iss === v2Issuer(ctx.cloud, tid) && ctx.tokenVersion === 1) {
    return `${base} This is a v2 token but tokenVersion is 1. Set tokenVersion: 'any' (or 2), or set the API manifest's accessTokenAcceptedVersion back to 1.`;
  }
  let origin = '';
  try {
    origin = new URL(iss).origin;
  } catch {
    return `${base} The issuer is not a URL.`;
  }
  const { cloud } = ctx;
  if (origin === cloud.authorityHost || origin === cloud.v1IssuerHost || origin === cloud.v2IssuerHost) {
    if (cloud.v1IssuerHost === undefined && ctx.tokenVersion !== 2 && iss.endsWith('/') && !iss.endsWith('/v2.0/')) {
      return `${base} ${NO_V1_ISSUER}`;
    }
    return `${base} The issuer path is not one Entra issues for tenant ${tid}.`;
  }
  const clouds = cloudsOfHost(origin);
  const shownOrigin = shown(origin, 120);
  if (clouds.length === 0) {
    return `${base} The token comes from ${shownOrigin}: if that is your authority, set cloud: { authorityHost } or use the authority option (B2C, External ID).`;
  }
  const named = clouds.map((name) => `'${name}'`).join(' or ');
  return `${base} The token comes from ${shownOrigin} (the ${clouds.join(' or ')} cloud${clouds.length > 1 ? 's' : ''}): set cloud: ${named}.`;
}
