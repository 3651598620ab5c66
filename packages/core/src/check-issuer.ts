// Steps 5-7: bind the signing key to the issuer, check tid, apply the tenant policy, then match
// the issuer exactly. Entra's keys are shared by all tenants; only these checks keep a token from
// another tenant (or another cloud) out.
import type { EntraAccessTokenClaims } from './claims.js';
import { cloudOfIssuerHost, v1Issuer, v2Issuer, type CloudEndpoints } from './clouds.js';
import { authError } from './errors.js';
import { isGuid } from './guid.js';
import type { TenantRule } from './resolve-options.js';

export const TENANT_TEMPLATE = '{tenantid}';

export interface IssuerContext {
  cloud: CloudEndpoints;
  tenant: TenantRule;
  tokenVersion: 1 | 2 | 'any';
  /** Discovery mode: the issuer from the authority's metadata (may hold `{tenantid}`). */
  discoveredIssuer: string | undefined;
}

/** The tenant segment of an issuer URL (`https://host/{tenant}/...`). */
function issuerTenant(iss: string): string | undefined {
  const scheme = iss.indexOf('://');
  if (scheme === -1) return undefined;
  const start = iss.indexOf('/', scheme + 3) + 1;
  if (start === 0) return undefined;
  const end = iss.indexOf('/', start);
  const tenant = end === -1 ? iss.slice(start) : iss.slice(start, end);
  return tenant === '' ? undefined : tenant;
}

function requireTid(claims: EntraAccessTokenClaims): string {
  if (claims.tid === undefined) {
    throw authError('missing_claim', 'The token has no tenant id.', 'The token has no "tid" claim. Every Entra access token names its tenant in tid; this one was not issued by Entra ID (or by a B2C policy: use the authority option for B2C).');
  }
  return claims.tid;
}

const missingIssuer = () => authError('missing_claim', 'The token has no issuer.', 'The token has no "iss" claim; Entra always sets it.');

/** Step 5: a key that names an issuer may only sign for that issuer (a v1 issuer counts as its v2 twin). */
export function checkSigningKeyIssuer(keyIssuer: string | undefined, claims: EntraAccessTokenClaims, ctx: IssuerContext): void {
  if (keyIssuer === undefined) return;
  if (claims.iss === undefined) throw missingIssuer();
  const tid = requireTid(claims);
  const bound = keyIssuer.split(TENANT_TEMPLATE).join(tid);
  const iss = claims.iss;
  const v2Twin = iss === v1Issuer(ctx.cloud, tid) && bound === v2Issuer(ctx.cloud, tid);
  if (iss === bound || v2Twin) return;
  throw authError(
    'signing_key_issuer_mismatch',
    'The token was signed by a key that does not belong to its issuer.',
    `The signing key is published for issuer "${bound}" (tid ${tid}), but the token says iss "${iss ?? '(none)'}". ` +
      (iss?.includes(TENANT_TEMPLATE) ? 'The token carries the literal {tenantid} template, which Entra never issues: it was forged or hand-made.' : iss && issuerTenant(iss) !== tid ? 'The tenant in iss differs from tid: the token was altered or forged.' : 'The issuer host differs from the key\'s cloud: check the cloud option.'),
  );
}

/** Step 6, first half: tid is a GUID and equals the tenant in iss. Returns the tenant id. */
export function checkTenant(claims: EntraAccessTokenClaims, ctx: IssuerContext): string {
  const tid = requireTid(claims);
  if (claims.iss === undefined) throw missingIssuer();
  if (!isGuid(tid)) {
    throw authError('issuer_mismatch', 'The token tenant id is not valid.', `The token's tid is "${tid.slice(0, 64)}", not a GUID. Entra always writes the tenant GUID.`);
  }
  const inIssuer = issuerTenant(claims.iss);
  if (ctx.discoveredIssuer === undefined || ctx.discoveredIssuer.includes(TENANT_TEMPLATE)) {
    if (inIssuer?.toLowerCase() !== tid.toLowerCase()) {
      throw authError('issuer_mismatch', 'The token issuer does not match its tenant.', `iss "${claims.iss}" names tenant "${inIssuer ?? '(none)'}" but tid is "${tid}". ${inIssuer === TENANT_TEMPLATE ? 'A literal {tenantid} in iss means the token was hand-made from a discovery document template.' : ''}`.trim());
    }
  }
  return tid.toLowerCase();
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
  if (rule.anyTenant || rule.allowList?.has(tenantId)) return;
  if (rule.callback) return askCallback(rule.callback, tenantId);
  throw notInAllowList(tenantId, false);
}

/** Step 7: exact match against the issuer forms allowed for this version and cloud. Returns the token version. */
export function checkIssuer(claims: EntraAccessTokenClaims, tenantId: string, ctx: IssuerContext): 1 | 2 {
  const iss = claims.iss;
  // Use tid exactly as written in iss (case included): issuers compare as exact strings.
  const tid = issuerTenant(iss) ?? tenantId;
  if (ctx.discoveredIssuer !== undefined) {
    const expected = ctx.discoveredIssuer.split(TENANT_TEMPLATE).join(tid);
    if (iss === expected) return claims.ver === '1.0' ? 1 : 2;
    throw authError('issuer_mismatch', 'The token issuer is not accepted.', `Expected iss "${expected}" (from the authority's metadata), got "${iss}". Check that the authority option names the user flow / tenant that issued the token.`);
  }
  const forms: Array<[1 | 2, string]> = [];
  if (ctx.tokenVersion !== 2) forms.push([1, v1Issuer(ctx.cloud, tid)]);
  if (ctx.tokenVersion !== 1) forms.push([2, v2Issuer(ctx.cloud, tid)]);
  const matched = forms.find(([, form]) => form === iss);
  if (matched) return matched[0];
  throw authError('issuer_mismatch', 'The token issuer is not accepted.', issuerHint(iss, tid, ctx, forms.map(([, f]) => f)));
}

function issuerHint(iss: string, tid: string, ctx: IssuerContext, expected: string[]): string {
  const base = `Expected iss ${expected.map((e) => `"${e}"`).join(' or ')}, got "${iss}".`;
  const isV1Form = iss === v1Issuer(ctx.cloud, tid);
  const isV2Form = iss === v2Issuer(ctx.cloud, tid);
  if (isV1Form && ctx.tokenVersion === 2) {
    return `${base} This is a v1 token (sts.windows.net issuer) but tokenVersion is 2. Either set "accessTokenAcceptedVersion": 2 (requestedAccessTokenVersion in the new manifest) on the API's app registration so Entra issues v2 tokens, or set tokenVersion: 'any'.`;
  }
  if (isV2Form && ctx.tokenVersion === 1) {
    return `${base} This is a v2 token but tokenVersion is 1. Set tokenVersion: 'any' (or 2), or set the API manifest's accessTokenAcceptedVersion back to 1.`;
  }
  let origin = '';
  try {
    origin = new URL(iss).origin;
  } catch {
    return `${base} The issuer is not a URL.`;
  }
  const cloud = cloudOfIssuerHost(origin);
  if (origin !== ctx.cloud.authorityHost && origin !== ctx.cloud.v1IssuerHost) {
    return `${base} The token comes from ${origin}${cloud ? ` (the ${cloud} cloud): set cloud: '${cloud}'` : ': if that is your authority, set cloud: { authorityHost } or use the authority option (B2C, External ID)'}.`;
  }
  return `${base} The issuer path is not one Entra issues for tenant ${tid}.`;
}
