// OpenID Connect discovery documents and key sets with the fields and URL shapes Entra serves.
import { issuerFor, TENANT_TEMPLATE, type FakeCloud } from './cloud.js';
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

export function v2Discovery(ctx: MetadataContext): Record<string, unknown> {
  const base = `${ctx.origin}/${ctx.tenantSegment}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys${appQuery(ctx.appId)}`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: issuerFor(ctx.cloud, 2, ctx.tenantId ?? TENANT_TEMPLATE),
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: ctx.tenantId ? 'NA' : null,
    cloud_instance_name: ctx.cloud.cloudInstanceName,
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

export function v1Discovery(ctx: MetadataContext): Record<string, unknown> {
  const base = `${ctx.origin}/${ctx.tenantSegment}`;
  return {
    token_endpoint: `${base}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/keys${appQuery(ctx.appId)}`,
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
    userinfo_endpoint: `${base}/openid/userinfo`,
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: ctx.tenantId ? 'NA' : null,
    cloud_instance_name: ctx.cloud.cloudInstanceName,
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

export interface KeySetInput {
  version: 1 | 2;
  cloud: FakeCloud;
  shared: FakeSigningKey[];
  /** An app's custom key and the tenant that owns the app. */
  appKey?: { key: FakeSigningKey; tenantId: string };
}

/**
 * Keys at `/discovery/v2.0/keys` carry `issuer` with the `{tenantid}` template and
 * `cloud_instance_name`; the v1 endpoint publishes the same keys without them.
 * An app's custom key is bound to its own tenant's issuer.
 */
export function keySet({ version, cloud, shared, appKey }: KeySetInput): { keys: PublishedJwk[] } {
  const publish = (key: FakeSigningKey, tenantId: string): PublishedJwk =>
    version === 2
      ? { ...key.jwk, issuer: issuerFor(cloud, 2, tenantId), cloud_instance_name: cloud.cloudInstanceName }
      : { ...key.jwk };
  const keys = shared.map((key) => publish(key, TENANT_TEMPLATE));
  if (appKey) keys.push(publish(appKey.key, appKey.tenantId));
  return { keys };
}
