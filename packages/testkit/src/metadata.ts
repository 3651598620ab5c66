// OpenID Connect discovery documents and key sets with the fields and URL shapes Entra serves.
import { issuerFor, TENANT_TEMPLATE, type FakeCloud } from './cloud.js';
import { PERSONAL_ACCOUNT_TENANT_ID } from './personal-accounts.js';
import type { FakeSigningKey, PublishedJwk } from './signing-key.js';

export interface MetadataContext {
  cloud: FakeCloud;
  /** Origin the request came to: the authority host, or the loopback server's URL. */
  origin: string;
  /** Path segment: a tenant GUID, `common` or `organizations`. */
  tenantSegment: string;
  /** The tenant GUID for a tenant-specific document; undefined for common/organizations. */
  tenantId: string | undefined;
  appId: string | undefined;
}

const appQuery = (appId: string | undefined) => (appId ? `?appid=${encodeURIComponent(appId)}` : '');

/** jwks_uri's origin: the cloud's key-set host, or the loopback origin the request came to. */
const keysOrigin = (ctx: MetadataContext) => (ctx.origin === ctx.cloud.authorityHost ? ctx.cloud.keySetHost : ctx.origin);

/**
 * The Graph-related members. The public values are those of the captured public documents; for
 * other known clouds only `msgraph_host` is published (learn.microsoft.com/graph/deployments), so
 * the members Microsoft does not state for them are left out rather than guessed. Origins that are
 * no known cloud (loopback) keep the public shape, since they stand in for the public cloud.
 */
function graphMembers(cloud: FakeCloud, v1: boolean, base: string): { userinfo: string | undefined; tail: Record<string, unknown> } {
  if (cloud.name === undefined || cloud.name === 'public') {
    return {
      userinfo: v1 ? `${base}/openid/userinfo` : 'https://graph.microsoft.com/oidc/userinfo',
      tail: { cloud_graph_host_name: 'graph.windows.net', msgraph_host: 'graph.microsoft.com', rbac_url: 'https://pas.windows.net' },
    };
  }
  const msgraph = cloud.msGraphHost;
  return {
    userinfo: v1 ? `${base}/openid/userinfo` : msgraph ? `https://${msgraph}/oidc/userinfo` : undefined,
    tail: msgraph ? { msgraph_host: msgraph } : {},
  };
}

export function v2Discovery(ctx: MetadataContext): Record<string, unknown> {
  const base = `${ctx.origin}/${ctx.tenantSegment}`;
  const graph = graphMembers(ctx.cloud, false, base);
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${keysOrigin(ctx)}/${ctx.tenantSegment}/discovery/v2.0/keys${appQuery(ctx.appId)}`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: issuerFor(ctx.cloud, 2, ctx.tenantId ?? TENANT_TEMPLATE),
    request_uri_parameter_supported: false,
    ...(graph.userinfo ? { userinfo_endpoint: graph.userinfo } : {}),
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: ctx.tenantId ? 'NA' : null,
    cloud_instance_name: ctx.cloud.cloudInstanceName,
    ...graph.tail,
  };
}

export function v1Discovery(ctx: MetadataContext): Record<string, unknown> {
  const base = `${ctx.origin}/${ctx.tenantSegment}`;
  const graph = graphMembers(ctx.cloud, true, base);
  return {
    token_endpoint: `${base}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${keysOrigin(ctx)}/${ctx.tenantSegment}/discovery/keys${appQuery(ctx.appId)}`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'token id_token', 'token'],
    scopes_supported: ['openid'],
    issuer: issuerFor(ctx.cloud, 1, ctx.tenantId ?? TENANT_TEMPLATE),
    microsoft_multi_refresh_token: true,
    authorization_endpoint: `${base}/oauth2/authorize`,
    device_authorization_endpoint: `${base}/oauth2/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/logout`,
    claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'amr', 'nonce', 'email', 'given_name', 'family_name', 'nickname'],
    check_session_iframe: `${base}/oauth2/checksession`,
    userinfo_endpoint: graph.userinfo,
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: ctx.tenantId ? 'NA' : null,
    cloud_instance_name: ctx.cloud.cloudInstanceName,
    ...graph.tail,
  };
}

export interface KeySetInput {
  version: 1 | 2;
  cloud: FakeCloud;
  shared: FakeSigningKey[];
  /** An app's custom key and the tenant that owns the app. */
  appKey?: { key: FakeSigningKey; tenantId: string };
  /** Keys that sign personal-account tokens, bound to the personal-account tenant. */
  personal?: FakeSigningKey[];
}

/**
 * Keys at `/discovery/v2.0/keys` carry `issuer` with the `{tenantid}` template and
 * `cloud_instance_name`; the v1 endpoint publishes the same keys without them.
 * An app's custom key is bound to its own tenant's issuer.
 */
export function keySet({ version, cloud, shared, appKey, personal = [] }: KeySetInput): { keys: PublishedJwk[] } {
  const publish = (key: FakeSigningKey, tenantId: string): PublishedJwk =>
    version === 2
      ? { ...key.jwk, issuer: issuerFor(cloud, 2, tenantId), cloud_instance_name: cloud.cloudInstanceName }
      : { ...key.jwk };
  const keys = shared.map((key) => publish(key, TENANT_TEMPLATE));
  for (const key of personal) keys.push(publish(key, PERSONAL_ACCOUNT_TENANT_ID));
  if (appKey) keys.push(publish(appKey.key, appKey.tenantId));
  return { keys };
}
