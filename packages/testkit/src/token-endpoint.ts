// /oauth2/v2.0/token and /oauth2/v2.0/devicecode: client credentials with secret checks, and a
// device-code grant approved at once for the configured user, so delegated clients run unattended.
import { base64url } from 'jose';
import type { FakeApi, FakeClientApp, FakeUser } from './directory.js';
import { grantsFor } from './directory.js';
import { entraErrorResponse, jsonResponse, type EntraErrorSpec } from './entra-error.js';
import { findApi, GRAPH_RESOURCE, OIDC_SCOPES, parseScopeRequest } from './scope-request.js';

export interface TokenEndpointDirectory {
  now(): number;
  apis: readonly FakeApi[];
  findClient(clientId: string): FakeClientApp | undefined;
  /** The user who "approves" every device code. */
  deviceCodeUser(): FakeUser;
  mintAccessToken(request: AccessTokenRequest): Promise<string>;
  mintGraphToken(request: { tenantId: string; client: FakeClientApp; user: FakeUser; scopes: string[] }): Promise<string>;
  mintIdToken(request: { tenantId: string; client: FakeClientApp; user: FakeUser }): Promise<string>;
}

export interface AccessTokenRequest {
  tenantId: string;
  api: FakeApi;
  client: FakeClientApp;
  user?: FakeUser;
  scopes: string[];
  roles: string[];
}

interface PendingDeviceCode {
  clientId: string;
  tenantId: string;
  scope: string;
  expiresAt: number;
}

const ACCESS_TOKEN_LIFETIME = 3599;
const DEVICE_CODE_LIFETIME = 900;

const fail = (status: number, error: string, code: number, message: string): EntraErrorSpec => ({ status, error, code, message });

export class TokenEndpoint {
  private readonly deviceCodes = new Map<string, PendingDeviceCode>();

  constructor(private readonly directory: TokenEndpointDirectory) {}

  async token(form: URLSearchParams, authorization: string | null, tenantId: string): Promise<Response> {
    const grantType = form.get('grant_type');
    if (grantType === 'client_credentials') return this.clientCredentials(form, authorization, tenantId);
    // RFC 8628 names the grant with a URN; Entra (and MSAL) also use the short `device_code`.
    if (grantType === 'urn:ietf:params:oauth:grant-type:device_code' || grantType === 'device_code') return this.deviceCodeToken(form);
    return this.error(fail(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType ?? ''}'.`));
  }

  deviceCode(form: URLSearchParams, tenantId: string): Response {
    const clientId = form.get('client_id') ?? '';
    if (!this.directory.findClient(clientId)) return this.error(unknownClient(clientId));
    const scope = form.get('scope') ?? '';
    const parsed = parseScopeRequest(scope);
    if ('error' in parsed) return this.error(fail(400, 'invalid_scope', 70011, parsed.error));
    const deviceCode = base64url.encode(crypto.getRandomValues(new Uint8Array(32)));
    const userCode = Array.from(crypto.getRandomValues(new Uint8Array(9)), (b) => 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'[b % 32]).join('');
    this.deviceCodes.set(deviceCode, {
      clientId,
      tenantId,
      scope,
      expiresAt: this.directory.now() + DEVICE_CODE_LIFETIME * 1000,
    });
    return jsonResponse({
      user_code: userCode,
      device_code: deviceCode,
      verification_uri: 'https://microsoft.com/devicelogin',
      expires_in: DEVICE_CODE_LIFETIME,
      interval: 5,
      message: `To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ${userCode} to authenticate. (Fake Entra approves it at once.)`,
    });
  }

  private async clientCredentials(form: URLSearchParams, authorization: string | null, tenantId: string): Promise<Response> {
    const credentials = readClientCredentials(form, authorization);
    const client = this.directory.findClient(credentials.clientId);
    if (!client) return this.error(unknownClient(credentials.clientId));
    if (!credentials.clientSecret) {
      return this.error(fail(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."));
    }
    if (!client.clientSecret || credentials.clientSecret !== client.clientSecret) {
      return this.error(fail(401, 'invalid_client', 7000215, 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app \'' + client.clientId + "'."));
    }
    const scope = form.get('scope');
    if (!scope) return this.error(fail(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'scope'."));
    const parsed = parseScopeRequest(scope);
    if ('error' in parsed || !parsed.resource || parsed.scopes.length !== 1 || parsed.scopes[0] !== '.default') {
      return this.error(fail(400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`));
    }
    const api = findApi(this.directory.apis, parsed.resource);
    if (!api) return this.error(resourceNotFound(parsed.resource, tenantId));
    const accessToken = await this.directory.mintAccessToken({
      tenantId,
      api,
      client,
      scopes: [],
      // Only permissions the fake was told the client holds; none is what Entra does too.
      roles: grantsFor(client.appPermissions, api).filter((role) => api.appRoles.length === 0 || api.appRoles.includes(role)),
    });
    return jsonResponse({ token_type: 'Bearer', expires_in: ACCESS_TOKEN_LIFETIME, ext_expires_in: ACCESS_TOKEN_LIFETIME, access_token: accessToken });
  }

  private async deviceCodeToken(form: URLSearchParams): Promise<Response> {
    const code = form.get('device_code') ?? '';
    const pending = this.deviceCodes.get(code);
    if (!pending || pending.clientId !== form.get('client_id')) {
      return this.error(fail(400, 'invalid_grant', 70000, 'The provided value for the input parameter \'device_code\' is not valid.'));
    }
    this.deviceCodes.delete(code);
    if (this.directory.now() > pending.expiresAt) {
      return this.error(fail(400, 'expired_token', 70020, 'The provided value for the input parameter \'device_code\' is expired.'));
    }
    const client = this.directory.findClient(pending.clientId);
    if (!client) return this.error(unknownClient(pending.clientId));
    const user = this.directory.deviceCodeUser();
    const parsed = parseScopeRequest(pending.scope);
    if ('error' in parsed) return this.error(fail(400, 'invalid_scope', 70011, parsed.error));

    let accessToken: string;
    let grantedScopes: string[];
    if (!parsed.resource || parsed.resource === GRAPH_RESOURCE || parsed.resource === `${GRAPH_RESOURCE}/`) {
      // Only OpenID scopes, or Graph scopes: Entra answers with a Microsoft Graph token, which no
      // custom API can verify (the mistake behind many "invalid signature" reports).
      const graphScopes = [...new Set(['openid', 'profile', 'email', ...(parsed.scopes.length ? parsed.scopes : ['User.Read'])])];
      accessToken = await this.directory.mintGraphToken({ tenantId: pending.tenantId, client, user, scopes: graphScopes });
      grantedScopes = graphScopes.map((s) => (OIDC_SCOPES.has(s) ? s : `${GRAPH_RESOURCE}/${s}`));
    } else {
      const api = findApi(this.directory.apis, parsed.resource);
      if (!api) return this.error(resourceNotFound(parsed.resource, pending.tenantId));
      const scopes = parsed.scopes.includes('.default') ? [...api.scopes] : parsed.scopes;
      const unknown = scopes.find((s) => !api.scopes.includes(s));
      if (unknown) {
        return this.error(fail(400, 'invalid_scope', 650053, `The application '${client.displayName}' asked for scope '${unknown}' that doesn't exist on the resource '${api.appId}'. Contact the app vendor.`));
      }
      accessToken = await this.directory.mintAccessToken({ tenantId: pending.tenantId, api, client, user, scopes, roles: grantsFor(user.appRoles, api) });
      grantedScopes = scopes.map((s) => `${api.identifierUri}/${s}`);
    }
    const idToken = await this.directory.mintIdToken({ tenantId: pending.tenantId, client, user });
    return jsonResponse({
      token_type: 'Bearer',
      scope: [...grantedScopes, ...parsed.oidc.filter((s) => !grantedScopes.includes(s))].join(' '),
      expires_in: ACCESS_TOKEN_LIFETIME,
      ext_expires_in: ACCESS_TOKEN_LIFETIME,
      access_token: accessToken,
      refresh_token: base64url.encode(crypto.getRandomValues(new Uint8Array(48))),
      id_token: idToken,
      client_info: base64url.encode(new TextEncoder().encode(JSON.stringify({ uid: user.objectId, utid: pending.tenantId }))),
    });
  }

  private error(spec: EntraErrorSpec): Response {
    return entraErrorResponse(spec, this.directory.now());
  }
}

function readClientCredentials(form: URLSearchParams, authorization: string | null): { clientId: string; clientSecret: string | undefined } {
  const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '');
  if (basic?.[1]) {
    const decoded = atob(basic[1]);
    const colon = decoded.indexOf(':');
    return { clientId: decodeURIComponent(decoded.slice(0, colon)), clientSecret: decodeURIComponent(decoded.slice(colon + 1)) };
  }
  return { clientId: form.get('client_id') ?? '', clientSecret: form.get('client_secret') ?? undefined };
}

const unknownClient = (clientId: string): EntraErrorSpec =>
  fail(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`);

const resourceNotFound = (resource: string, tenantId: string): EntraErrorSpec =>
  fail(400, 'invalid_resource', 500011, `The resource principal named ${resource} was not found in the tenant named ${tenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`);
