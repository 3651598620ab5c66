// OpenAPI 3.1 for an Entra-protected API: the security scheme (OAuth2 authorization code with
// PKCE against the configured cloud and tenant) and each operation's security requirement, built
// from the same AuthRequirement the route guards enforce, so the docs cannot drift from the checks.
// URL shapes: Microsoft identity platform v2.0 endpoints, https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
// (`{authority host}/{tenant}/oauth2/v2.0/authorize` and `/token`); scope names
// `{Application ID URI}/{scope}` and `{Application ID URI}/.default` for client credentials,
// https://learn.microsoft.com/entra/identity-platform/scopes-oidc.
import type { AuthRequirement } from '../rules/authorize.js';
import { CLOUDS, type CloudName } from '../clouds.js';
import { withoutTrailingSlashes } from '../keys/origin.js';

/** Options of {@link createEntraOpenApi}. */
export interface EntraOpenApiOptions {
  /** The tenant GUID, or `common` / `organizations` for multi-tenant APIs. */
  tenant: string;
  /** The API's client id: scopes are named `api://<clientId>/<scope>` unless `appIdUri` says otherwise. */
  clientId?: string;
  /** The API's Application ID URI, when it is not the default `api://<clientId>`. */
  appIdUri?: string;
  /** The API's delegated scopes (short names, as in `scp`) with the descriptions the docs show. */
  scopes: Readonly<Record<string, string>>;
  /** The cloud (default `public`) or `{ authorityHost }`; ignored when `authority` is set. */
  cloud?:
    | CloudName
    | {
        /** The cloud's sign-in origin, e.g. `https://login.microsoftonline.us`. */
        authorityHost: string;
      };
  /** An authority URL (External ID / CIAM, B2C, a test double), e.g. `https://contoso.ciamlogin.com/<tenant>/v2.0`. */
  authority?: string;
  /** Also describe the client credentials flow (`<App ID URI>/.default`), for routes that accept `appPermissions`. Default false. */
  clientCredentials?: boolean;
  /** The security scheme's name in `components.securitySchemes`. Default `entra`. */
  schemeName?: string;
  /** The scheme's description. */
  description?: string;
}

/** An OpenAPI OAuth flow object (a type alias, so it fits OpenAPI libraries' `x-` index signatures). */
export type OpenApiOAuthFlow = {
  /** The authorize endpoint (authorization code flow). */
  authorizationUrl?: string;
  /** The token endpoint. */
  tokenUrl?: string;
  /** Scope names (full, as clients request them) and their descriptions. */
  scopes: Record<string, string>;
};

/** An OpenAPI 3.1 `oauth2` security scheme object (a type alias, so it fits OpenAPI libraries' `x-` index signatures). */
export type OpenApiOAuth2Scheme = {
  /** Always `oauth2`. */
  type: 'oauth2';
  /** What the scheme is. */
  description?: string;
  /** The flows: authorization code (with PKCE, as Entra requires for SPAs), and client credentials when asked for. */
  flows: {
    /** Users sign in; the client (an SPA, Swagger UI) uses PKCE. */
    authorizationCode: OpenApiOAuthFlow & {
      /** The authorize endpoint. */
      authorizationUrl: string;
      /** The token endpoint. */
      tokenUrl: string;
    };
    /** Daemons with app permissions. */
    clientCredentials?: OpenApiOAuthFlow & {
      /** The token endpoint. */
      tokenUrl: string;
    };
  };
};

/** One OpenAPI security requirement object: scheme name to required scopes. Several in a list are alternatives. */
export type OpenApiSecurityRequirement = Record<string, string[]>;

/** The security-related fields of an OpenAPI operation, to spread into it. */
export interface OpenApiOperationSecurity {
  /** Alternatives: the caller meets one of them. */
  security: OpenApiSecurityRequirement[];
  /** App roles the route needs (`roles`), which OAuth scopes cannot express. */
  'x-entra-roles'?: string[];
  /** App permissions an app-only token may show instead of the scopes (in its `roles`). */
  'x-entra-app-permissions'?: string[];
  /** Whether every listed scope (or role) is needed, or any one. */
  'x-entra-match'?: 'all' | 'any';
}

/** The OpenAPI pieces for one API; see {@link createEntraOpenApi}. */
export interface EntraOpenApi {
  /** The scheme's name (default `entra`). */
  readonly schemeName: string;
  /** `components.securitySchemes` entries: `{ [schemeName]: scheme }`. */
  readonly securitySchemes: Record<string, OpenApiOAuth2Scheme>;
  /** The security fields of an operation guarded by `requirement` (an empty requirement: any valid token). */
  operationSecurity(requirement?: AuthRequirement): OpenApiOperationSecurity;
  /** The full scope name clients request for a short one, e.g. `api://<clientId>/Data.Read`. */
  fullScope(scope: string): string;
}

function origin(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`entra-verify: ${what} must be an absolute URL, got "${value}"`);
  }
  if (url.protocol !== 'https:' && url.hostname !== '127.0.0.1' && url.hostname !== 'localhost' && url.hostname !== '[::1]') throw new TypeError(`entra-verify: ${what} must use https (plain http only on loopback)`);
  return withoutTrailingSlashes(value);
}

/** Authorize and token endpoints of the configured cloud and tenant, or of an authority. */
function endpoints(options: EntraOpenApiOptions): { authorizationUrl: string; tokenUrl: string } {
  if (options.authority !== undefined) {
    const authority = origin(options.authority, 'authority');
    const base = authority.endsWith('/v2.0') ? authority.slice(0, -5) : authority;
    return { authorizationUrl: `${base}/oauth2/v2.0/authorize`, tokenUrl: `${base}/oauth2/v2.0/token` };
  }
  const cloud = options.cloud ?? 'public';
  const host = typeof cloud === 'string' ? CLOUDS[cloud]?.authorityHost : origin(cloud.authorityHost, 'cloud.authorityHost');
  if (host === undefined) throw new TypeError(`entra-verify: unknown cloud "${String(cloud)}"`);
  const tenant = encodeURIComponent(options.tenant);
  return { authorizationUrl: `${host}/${tenant}/oauth2/v2.0/authorize`, tokenUrl: `${host}/${tenant}/oauth2/v2.0/token` };
}

/**
 * OpenAPI 3.1 security for an Entra-protected API: the `securitySchemes` entry, and per-operation
 * `security` derived from the very `AuthRequirement` objects the guards enforce. Options are
 * checked here, so a typo fails at start-up; an operation naming a scope the scheme does not
 * describe throws too (docs and enforcement cannot drift).
 *
 * ```ts
 * const openapi = createEntraOpenApi({ tenant, clientId, scopes: { 'Data.Read': 'Read your data' } });
 * spec.components.securitySchemes = openapi.securitySchemes;
 * spec.paths['/data'].get = { ...openapi.operationSecurity({ scopes: ['Data.Read'] }), responses };
 * ```
 */
export function createEntraOpenApi(options: EntraOpenApiOptions): EntraOpenApi {
  if (typeof options !== 'object' || options === null) throw new TypeError('entra-verify: createEntraOpenApi() needs { tenant, clientId, scopes }');
  if (typeof options.tenant !== 'string' || options.tenant === '') throw new TypeError('entra-verify: createEntraOpenApi() needs tenant (a GUID, "common" or "organizations")');
  const appIdUri = options.appIdUri ?? (options.clientId === undefined ? undefined : `api://${options.clientId}`);
  if (typeof appIdUri !== 'string' || appIdUri === '') throw new TypeError('entra-verify: createEntraOpenApi() needs clientId or appIdUri: scope names are built from it');
  if (typeof options.scopes !== 'object' || options.scopes === null) throw new TypeError('entra-verify: createEntraOpenApi() needs scopes: { "<short name>": "<description>" }');
  const base = withoutTrailingSlashes(appIdUri);
  const fullScope = (scope: string) => `${base}/${scope}`;
  const scopes: Record<string, string> = {};
  for (const [name, description] of Object.entries(options.scopes)) {
    if (name === '' || name.includes(' ') || name.includes('/')) throw new TypeError(`entra-verify: createEntraOpenApi() scopes are short names as in scp (e.g. "Data.Read"), got "${name}"`);
    if (typeof description !== 'string') throw new TypeError(`entra-verify: createEntraOpenApi() scope "${name}" needs a description string`);
    scopes[fullScope(name)] = description;
  }
  const schemeName = options.schemeName ?? 'entra';
  const { authorizationUrl, tokenUrl } = endpoints(options);
  const defaultScope = fullScope('.default');
  const scheme: OpenApiOAuth2Scheme = {
    type: 'oauth2',
    description: options.description ?? 'Microsoft Entra ID: send `Authorization: Bearer <access token>`. Users sign in with the authorization code flow and PKCE.',
    flows: {
      authorizationCode: { authorizationUrl, tokenUrl, scopes },
      ...(options.clientCredentials ? { clientCredentials: { tokenUrl, scopes: { [defaultScope]: 'The application permissions granted to the client app (app roles).' } } } : {}),
    },
  };
  const described = (scope: string) => {
    if (!(fullScope(scope) in scopes)) throw new TypeError(`entra-verify: the route requires scope "${scope}", which createEntraOpenApi({ scopes }) does not describe: add it there so the docs list it`);
    return fullScope(scope);
  };
  return {
    schemeName,
    securitySchemes: { [schemeName]: scheme },
    fullScope,
    operationSecurity(requirement = {}) {
      const match = requirement.match ?? 'all';
      const wanted = (requirement.scopes ?? []).map(described);
      const security: OpenApiSecurityRequirement[] = [];
      if (wanted.length === 0) security.push({ [schemeName]: [] });
      else if (match === 'any') for (const scope of wanted) security.push({ [schemeName]: [scope] });
      else security.push({ [schemeName]: wanted });
      if (requirement.appPermissions?.length) {
        if (!options.clientCredentials) throw new TypeError('entra-verify: the route accepts appPermissions: set clientCredentials: true in createEntraOpenApi() so the docs describe that flow');
        // An app-only token is an alternative to the user's scopes (RequiredScopeOrAppPermission).
        if (wanted.length === 0) security.length = 0;
        security.push({ [schemeName]: [defaultScope] });
      }
      const result: OpenApiOperationSecurity = { security };
      if (requirement.roles?.length) result['x-entra-roles'] = [...requirement.roles];
      if (requirement.appPermissions?.length) result['x-entra-app-permissions'] = [...requirement.appPermissions];
      if ([requirement.scopes, requirement.roles, requirement.appPermissions].some((list) => (list?.length ?? 0) > 1)) result['x-entra-match'] = match;
      return result;
    },
  };
}
