// Reading and checking an authorization request (v2-oauth2-auth-code-flow, "Request an
// authorization code"). Problems with the client or the redirect URI are shown on the fake's page;
// every other problem goes back to the redirect URI, as Entra does.
import { redirectUriPlatform, type FakeApi, type FakeClientApp, type RedirectUriPlatform } from '../directory.js';
import type { EntraErrorSpec } from '../entra-error.js';
import type { DelegatedPermission } from '../grants/consent.js';
import { isWellFormedChallenge, type CodeChallengeMethod } from '../grants/pkce.js';
import { badCodeChallenge, invalidParameter, noRedirectUri, redirectUriMismatch, resourceNotFound, unknownClient, unknownScope, unsupportedResponseType } from '../protocol-errors.js';
import { findApi, GRAPH_RESOURCE, OIDC_SCOPES } from '../scope-request.js';
import type { ResponseMode } from './authorization-response.js';

export interface AuthorizeRequest {
  client: FakeClientApp;
  redirectUri: string;
  platform: RedirectUriPlatform;
  responseMode: ResponseMode;
  scope: string;
  /** The API permissions the scope asks for (what consent is about). */
  permissions: DelegatedPermission[];
  state: string | undefined;
  nonce: string | undefined;
  prompt: string | undefined;
  loginHint: string | undefined;
  domainHint: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: CodeChallengeMethod;
  /** `client_info=1`: MSAL asks for the client_info response parameter (msal-common RequestParameterBuilder.addClientInfo). */
  clientInfo: boolean;
}

export type ParsedAuthorizeRequest =
  | { request: AuthorizeRequest }
  | { pageError: EntraErrorSpec }
  | { redirectError: EntraErrorSpec; redirectUri: string; responseMode: ResponseMode; state: string | undefined };

interface Directory {
  apis: readonly FakeApi[];
  findClient(clientId: string): FakeClientApp | undefined;
}

const RESPONSE_MODES = new Set(['query', 'fragment', 'form_post']);

/** The v1 endpoint (/oauth2/authorize) names one `resource` instead of scopes. */
export function scopeOf(params: URLSearchParams): string {
  const scope = params.get('scope');
  if (scope) return scope;
  const resource = params.get('resource');
  return resource ? `${resource}/.default openid profile offline_access` : '';
}

/** The API permissions a scope string asks for; unlike the token endpoint, it may name several resources. */
function permissionsOf(scope: string, apis: readonly FakeApi[], client: FakeClientApp, tenantId: string): DelegatedPermission[] | EntraErrorSpec {
  const permissions: DelegatedPermission[] = [];
  for (const item of scope.split(' ').filter(Boolean)) {
    const cut = item.lastIndexOf('/');
    if (OIDC_SCOPES.has(item) || cut <= 0) continue; // OpenID scopes and bare Graph permissions (User.Read).
    const resource = item.slice(0, cut);
    const name = item.slice(cut + 1);
    if (resource === GRAPH_RESOURCE) continue;
    const api = findApi(apis, resource);
    if (!api) return resourceNotFound(resource, tenantId);
    if (name === '.default') permissions.push(...api.scopes.map((s) => ({ apiAppId: api.appId, scope: s })));
    else if (api.scopes.includes(name)) permissions.push({ apiAppId: api.appId, scope: name });
    else return unknownScope(client.displayName, name, api.appId);
  }
  return permissions;
}

export function parseAuthorizeRequest(params: URLSearchParams, directory: Directory, tenantId: string): ParsedAuthorizeRequest {
  const clientId = params.get('client_id') ?? '';
  const client = directory.findClient(clientId);
  if (!client) return { pageError: unknownClient(clientId) };
  const redirectUri = params.get('redirect_uri');
  if (!redirectUri) return { pageError: noRedirectUri() };
  const platform = redirectUriPlatform(client, redirectUri);
  if (!platform) return { pageError: redirectUriMismatch(redirectUri, client.clientId) };

  const state = params.get('state') ?? undefined;
  const mode = params.get('response_mode') ?? 'query';
  const responseMode: ResponseMode = RESPONSE_MODES.has(mode) ? (mode as ResponseMode) : 'query';
  const back = (spec: EntraErrorSpec): ParsedAuthorizeRequest => ({ redirectError: spec, redirectUri, responseMode, state });
  if (!RESPONSE_MODES.has(mode)) return back({ status: 400, error: 'invalid_request', code: 70007, message: `The app returned an unsupported value of response_mode '${mode}'.` });
  const responseType = params.get('response_type') ?? '';
  if (responseType !== 'code') return back(unsupportedResponseType(responseType));

  const challenge = params.get('code_challenge') ?? undefined;
  const method = params.get('code_challenge_method') ?? undefined;
  // "Required if code_challenge_method is included"; "If excluded, code_challenge is assumed to be plaintext".
  if (method !== undefined && challenge === undefined) return back(invalidParameter('code_challenge'));
  if (method !== undefined && method !== 'plain' && method !== 'S256') return back(invalidParameter('code_challenge_method'));
  if (challenge !== undefined && !isWellFormedChallenge(challenge)) return back(badCodeChallenge());

  const scope = scopeOf(params);
  if (!scope) return back({ status: 400, error: 'invalid_request', code: 900144, message: "The request body must contain the following parameter: 'scope'." });
  const permissions = permissionsOf(scope, directory.apis, client, tenantId);
  if (!Array.isArray(permissions)) return back(permissions);

  return {
    request: {
      client,
      redirectUri,
      platform,
      responseMode,
      scope,
      permissions,
      state,
      nonce: params.get('nonce') ?? undefined,
      prompt: params.get('prompt') ?? undefined,
      loginHint: params.get('login_hint') ?? undefined,
      domainHint: params.get('domain_hint') ?? undefined,
      codeChallenge: challenge,
      codeChallengeMethod: (method ?? 'plain') as CodeChallengeMethod,
      clientInfo: params.get('client_info') === '1',
    },
  };
}
