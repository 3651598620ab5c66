// The fake's directory: tenants, the APIs it issues tokens for, client apps and users.
// Defaults are random but stable for one fake, so two fakes never share identities.
import type { FakeClientCertificate } from './client-certificate.js';
import type { FakeEncryptionKey, TokenEncryptionOptions } from './encryption-key.js';

/** A tenant (directory) of the fake. */
export interface FakeTenant {
  /** Tenant id (GUID, lower case): `tid` of its tokens. */
  id: string;
  /** Display name, e.g. `Contoso`. */
  displayName: string;
  /** Initial domain, e.g. `contoso.onmicrosoft.com`: also accepted in URL paths (External ID authorities use it). */
  domain?: string;
}

/** An API (resource) registration: what a token's `aud`, `scp` and `roles` come from. */
export interface FakeApi {
  /** Application (client) id of the API; `aud` of its v2 tokens. */
  appId: string;
  /** Application ID URI; `aud` of its v1 tokens. Default `api://{appId}`. */
  identifierUri: string;
  /** `accessTokenAcceptedVersion` in the manifest: which token version Entra issues for it. */
  accessTokenVersion: 1 | 2;
  /** Delegated permissions the API exposes (the short names that appear in `scp`). */
  scopes: string[];
  /** App roles the API defines. */
  appRoles: string[];
  /** Tokens for this API are signed with its own key, published only at `?appid={appId}`. */
  customSigningKey: boolean;
  /** The tenant that owns the registration. */
  tenantId: string;
  /** Set when the registration has a token-encryption key: Entra then issues it encrypted tokens (JWE). */
  tokenEncryptionKey?: FakeEncryptionKey;
}

/** A client application registration: what requests tokens (`azp` / `appid`). */
export interface FakeClientApp {
  /** Application (client) id. */
  clientId: string;
  /** Absent for public clients (device code). */
  clientSecret?: string;
  /** Display name. */
  displayName: string;
  /** App permissions (app roles) granted to this client, by API appId; `'*'` applies to every API. */
  appPermissions: Record<string, string[]>;
  /** Object id of the client's service principal: `oid` and `sub` of its app-only tokens. */
  servicePrincipalId: string;
  /**
   * Redirect URIs by platform, as the app registration's Authentication page (and the manifest's
   * `spa`, `web` and `publicClient` objects) keep them. Live arrays: add a URI once your app listens.
   */
  redirectUris: FakeRedirectUris;
  /** Certificate credentials: the client may authenticate with a client assertion signed by one of them. */
  certificates: FakeClientCertificate[];
}

/** Redirect URIs of one client app, by platform. */
export interface FakeRedirectUris {
  /** Single-page application: auth code flow with PKCE, redeemed cross-origin from the browser. */
  spa: string[];
  /** Web: redeemed by a server with the client's credential. */
  web: string[];
  /** Mobile and desktop applications. */
  publicClient: string[];
}

/** Which platform a redirect URI is registered under. */
export type RedirectUriPlatform = keyof FakeRedirectUris;

/** A user of the fake's home tenant. */
export interface FakeUser {
  /** Object id: `oid` of the user's tokens. */
  objectId: string;
  /** Display name: the `name` claim. */
  name: string;
  /** Given name. */
  givenName: string;
  /** Family name. */
  familyName: string;
  /** Sign-in name: `preferred_username` (v2) or `upn` / `unique_name` (v1). */
  username: string;
  /** App roles assigned to the user, by API appId (`'*'` for every API); they appear in `roles`. */
  appRoles: Record<string, string[]>;
}

/** A tenant to create; every field has a default. */
export interface FakeTenantOptions {
  /** Tenant id. Default: a random GUID. */
  id?: string;
  /** Display name. Default: `Contoso`, `Contoso 2`, … */
  displayName?: string;
  /** Initial domain accepted in URL paths, e.g. `contoso.onmicrosoft.com`. Default: none. */
  domain?: string;
}

/** An API registration to create; see {@link FakeApi} for each field. Every field has a default. */
export interface FakeApiOptions extends Partial<Omit<FakeApi, 'tenantId' | 'tokenEncryptionKey'>> {
  /** The owning tenant's id. Default: the fake's first tenant. */
  tenantId?: string;
  /** Give the API a token-encryption key (generated, or your own key pair): its tokens come as JWE. Default: none. */
  tokenEncryption?: boolean | TokenEncryptionOptions;
}

/** A client app to create; every field has a default. */
export interface FakeClientAppOptions {
  /** Application (client) id. Default: a random GUID. */
  clientId?: string;
  /** `null` makes a public client (no secret). Default: a random secret. */
  clientSecret?: string | null;
  /** Display name. Default: `Test client 1`, `Test client 2`, … */
  displayName?: string;
  /** App permissions for every API, or by API appId. */
  appPermissions?: string[] | Record<string, string[]>;
  /** Redirect URIs by platform (`spa`, `web`, `publicClient`). Default: none. */
  redirectUris?: Partial<FakeRedirectUris>;
  /** Certificate credentials, from `entra.createClientCertificate()`. Default: none. */
  certificates?: FakeClientCertificate[];
}

/** A user to create; every field has a default. */
export interface FakeUserOptions {
  /** Object id. Default: a random GUID. */
  objectId?: string;
  /** Display name. Default: from the given and family names. */
  name?: string;
  /** Given name. Default: `Adele` for the first user, then `User2`, `User3`, … */
  givenName?: string;
  /** Family name. Default: `Vance`. */
  familyName?: string;
  /** Sign-in name. Default: `given.family@{tenant}.onmicrosoft.com`. */
  username?: string;
  /** App roles for every API, or by API appId. Default: none. */
  appRoles?: string[] | Record<string, string[]>;
}

export const randomGuid = (): string => crypto.randomUUID();

export function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(30));
  return Array.from(bytes, (b) => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789~._-'[b % 66]).join('');
}

const byApi = (value: string[] | Record<string, string[]> | undefined): Record<string, string[]> =>
  Array.isArray(value) ? { '*': [...value] } : { ...(value ?? {}) };

export function createTenants(input: number | Array<string | FakeTenantOptions> | undefined): FakeTenant[] {
  const list: Array<string | FakeTenantOptions> =
    typeof input === 'number' ? Array.from({ length: input }, () => ({})) : (input ?? [{}]);
  if (list.length === 0) throw new TypeError('createFakeEntra: tenants must name at least one tenant');
  return list.map((entry, index) => {
    const options = typeof entry === 'string' ? { id: entry } : entry;
    const tenant: FakeTenant = {
      id: (options.id ?? randomGuid()).toLowerCase(),
      displayName: options.displayName ?? `Contoso ${index === 0 ? '' : index + 1}`.trim(),
    };
    if (options.domain) tenant.domain = options.domain.toLowerCase();
    return tenant;
  });
}

export function createApi(options: FakeApiOptions, homeTenantId: string): FakeApi {
  const appId = options.appId ?? randomGuid();
  return {
    appId,
    identifierUri: options.identifierUri ?? `api://${appId}`,
    accessTokenVersion: options.accessTokenVersion ?? 2,
    scopes: options.scopes ?? ['access_as_user'],
    appRoles: options.appRoles ?? [],
    customSigningKey: options.customSigningKey ?? false,
    tenantId: options.tenantId ?? homeTenantId,
  };
}

export function createClientApp(options: FakeClientAppOptions, index: number): FakeClientApp {
  const app: FakeClientApp = {
    clientId: options.clientId ?? randomGuid(),
    displayName: options.displayName ?? `Test client ${index + 1}`,
    appPermissions: byApi(options.appPermissions),
    servicePrincipalId: randomGuid(),
    redirectUris: { spa: [...(options.redirectUris?.spa ?? [])], web: [...(options.redirectUris?.web ?? [])], publicClient: [...(options.redirectUris?.publicClient ?? [])] },
    certificates: [...(options.certificates ?? [])],
  };
  if (options.clientSecret !== null) app.clientSecret = options.clientSecret ?? randomSecret();
  return app;
}

export function createUser(options: FakeUserOptions, index: number, tenant: FakeTenant): FakeUser {
  const givenName = options.givenName ?? (index === 0 ? 'Adele' : `User${index + 1}`);
  const familyName = options.familyName ?? 'Vance';
  const domain = `${tenant.displayName.toLowerCase().replace(/[^a-z0-9]/g, '')}.onmicrosoft.com`;
  return {
    objectId: options.objectId ?? randomGuid(),
    givenName,
    familyName,
    name: options.name ?? `${givenName} ${familyName}`,
    username: options.username ?? `${givenName.toLowerCase()}.${familyName.toLowerCase()}@${domain}`,
    appRoles: byApi(options.appRoles),
  };
}

/** Grants keyed by API appId, with `'*'` for every API. */
export function grantsFor(grants: Record<string, string[]>, api: FakeApi): string[] {
  return [...new Set([...(grants['*'] ?? []), ...(grants[api.appId] ?? []), ...(grants[api.identifierUri] ?? [])])];
}

/** A client that can keep a credential (a secret or a certificate); the others are public clients. */
export const isConfidential = (client: FakeClientApp): boolean => Boolean(client.clientSecret) || client.certificates.length > 0;

/**
 * The platform a redirect URI is registered under. The comparison is exact: the redirect URI "must
 * exactly match one of the redirect URIs you registered" (v2-oauth2-auth-code-flow, `redirect_uri`).
 */
export function redirectUriPlatform(client: FakeClientApp, uri: string): RedirectUriPlatform | undefined {
  return (['spa', 'web', 'publicClient'] as const).find((platform) => client.redirectUris[platform].includes(uri));
}

/** Finds a user by object id or sign-in name (case-insensitive). */
export function findUser(users: readonly FakeUser[], idOrName: string): FakeUser | undefined {
  const wanted = idOrName.toLowerCase();
  return users.find((u) => u.objectId.toLowerCase() === wanted || u.username.toLowerCase() === wanted);
}
