// The fake's directory: tenants, the APIs it issues tokens for, client apps and users.
// Defaults are random but stable for one fake, so two fakes never share identities.

export interface FakeTenant {
  id: string;
  displayName: string;
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
}

export interface FakeClientApp {
  clientId: string;
  /** Absent for public clients (device code). */
  clientSecret?: string;
  displayName: string;
  /** App permissions (app roles) granted to this client, by API appId; `'*'` applies to every API. */
  appPermissions: Record<string, string[]>;
  /** Object id of the client's service principal: `oid` and `sub` of its app-only tokens. */
  servicePrincipalId: string;
}

export interface FakeUser {
  objectId: string;
  name: string;
  givenName: string;
  familyName: string;
  username: string;
  /** App roles assigned to the user, by API appId (`'*'` for every API); they appear in `roles`. */
  appRoles: Record<string, string[]>;
}

export interface FakeTenantOptions {
  id?: string;
  displayName?: string;
}

export interface FakeApiOptions extends Partial<Omit<FakeApi, 'tenantId'>> {
  tenantId?: string;
}

export interface FakeClientAppOptions {
  clientId?: string;
  /** `null` makes a public client (no secret). Default: a random secret. */
  clientSecret?: string | null;
  displayName?: string;
  /** App permissions for every API, or by API appId. */
  appPermissions?: string[] | Record<string, string[]>;
}

export interface FakeUserOptions {
  objectId?: string;
  name?: string;
  givenName?: string;
  familyName?: string;
  username?: string;
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
    return {
      id: (options.id ?? randomGuid()).toLowerCase(),
      displayName: options.displayName ?? `Contoso ${index === 0 ? '' : index + 1}`.trim(),
    };
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
