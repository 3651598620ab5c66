// /oauth2/v2.0/token and /oauth2/v2.0/devicecode: client credentials, the device-code grant
// (approved at once for the configured user, so delegated clients run unattended), and the browser
// grants in grants/ (authorization code, refresh token, on-behalf-of).
import { base64url } from 'jose';
import { grantsFor } from './directory.js';
import { jsonResponse } from './entra-error.js';
import { authorizationCodeGrant } from './grants/authorization-code-grant.js';
import { authenticateClient, readCredentials } from './grants/client-authentication.js';
import { delegatedTokenResponse } from './grants/delegated-tokens.js';
import { ACCESS_TOKEN_LIFETIME, failWith, type GrantContext, type TokenRequestMeta } from './grants/grant-context.js';
import { JWT_BEARER_GRANT, onBehalfOfGrant } from './grants/on-behalf-of-grant.js';
import { refreshTokenGrant } from './grants/refresh-token-grant.js';
import type { FakeUser } from './directory.js';
import { invalidScope, missingParameter, resourceNotFound, unknownClient } from './protocol-errors.js';
import { findApi, parseScopeRequest } from './scope-request.js';

export type { AccessTokenRequest } from './grants/grant-context.js';

export interface TokenEndpointDirectory extends GrantContext {
  /** The user who "approves" every device code. */
  deviceCodeUser(): FakeUser;
}

interface PendingDeviceCode {
  clientId: string;
  tenantId: string;
  scope: string;
  expiresAt: number;
}

const DEVICE_CODE_LIFETIME = 900;

export class TokenEndpoint {
  private readonly deviceCodes = new Map<string, PendingDeviceCode>();

  constructor(private readonly directory: TokenEndpointDirectory) {}

  async token(form: URLSearchParams, meta: TokenRequestMeta, tenantId: string): Promise<Response> {
    const grantType = form.get('grant_type');
    if (grantType === 'client_credentials') return this.clientCredentials(form, meta, tenantId);
    if (grantType === 'authorization_code') return authorizationCodeGrant(this.directory, form, meta);
    if (grantType === 'refresh_token') return refreshTokenGrant(this.directory, form, meta);
    if (grantType === JWT_BEARER_GRANT) return onBehalfOfGrant(this.directory, form, meta);
    // RFC 8628 names the grant with a URN; Entra (and MSAL) also use the short `device_code`.
    if (grantType === 'urn:ietf:params:oauth:grant-type:device_code' || grantType === 'device_code') return this.deviceCodeToken(form);
    return failWith(this.directory, { status: 400, error: 'unsupported_grant_type', code: 70003, message: `The app requested an unsupported grant type '${grantType ?? ''}'.` });
  }

  deviceCode(form: URLSearchParams, tenantId: string): Response {
    const clientId = form.get('client_id') ?? '';
    if (!this.directory.findClient(clientId)) return failWith(this.directory, unknownClient(clientId));
    const scope = form.get('scope') ?? '';
    const parsed = parseScopeRequest(scope);
    if ('error' in parsed) return failWith(this.directory, invalidScope(parsed.error));
    const deviceCode = base64url.encode(crypto.getRandomValues(new Uint8Array(32)));
    const userCode = Array.from(crypto.getRandomValues(new Uint8Array(9)), (b) => 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'[b % 32]).join('');
    this.deviceCodes.set(deviceCode, { clientId, tenantId, scope, expiresAt: this.directory.now() + DEVICE_CODE_LIFETIME * 1000 });
    return jsonResponse({
      user_code: userCode,
      device_code: deviceCode,
      verification_uri: 'https://microsoft.com/devicelogin',
      expires_in: DEVICE_CODE_LIFETIME,
      interval: 5,
      message: `To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ${userCode} to authenticate. (Fake Entra approves it at once.)`,
    });
  }

  private async clientCredentials(form: URLSearchParams, meta: TokenRequestMeta, tenantId: string): Promise<Response> {
    const presented = readCredentials(form, meta.authorization);
    const client = this.directory.findClient(presented.clientId);
    if (!client) return failWith(this.directory, unknownClient(presented.clientId));
    const refused = await authenticateClient(client, presented, true, { now: this.directory.now, audiences: meta.endpointUrls, origin: meta.origin });
    if (refused) return failWith(this.directory, refused);
    const scope = form.get('scope');
    if (!scope) return failWith(this.directory, missingParameter('scope'));
    const parsed = parseScopeRequest(scope);
    if ('error' in parsed || !parsed.resource || parsed.scopes.length !== 1 || parsed.scopes[0] !== '.default') {
      return failWith(this.directory, { status: 400, error: 'invalid_scope', code: 1002012, message: `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).` });
    }
    const api = findApi(this.directory.apis, parsed.resource);
    if (!api) return failWith(this.directory, resourceNotFound(parsed.resource, tenantId));
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
      return failWith(this.directory, { status: 400, error: 'invalid_grant', code: 70000, message: "The provided value for the input parameter 'device_code' is not valid." });
    }
    this.deviceCodes.delete(code);
    if (this.directory.now() > pending.expiresAt) {
      return failWith(this.directory, { status: 400, error: 'expired_token', code: 70020, message: "The provided value for the input parameter 'device_code' is expired." });
    }
    const client = this.directory.findClient(pending.clientId);
    if (!client) return failWith(this.directory, unknownClient(pending.clientId));
    // Device-code sign-ins consent as they go, so the requested scopes count as granted.
    const user = this.directory.deviceCodeUser();
    const parsed = parseScopeRequest(pending.scope);
    const api = 'error' in parsed || !parsed.resource ? undefined : findApi(this.directory.apis, parsed.resource);
    if (api && !('error' in parsed)) this.directory.consent.grant(user.objectId, client.clientId, parsed.scopes.filter((s) => s !== '.default').map((scope) => ({ apiAppId: api.appId, scope })));
    return delegatedTokenResponse(this.directory, {
      tenantId: pending.tenantId,
      client,
      user,
      scope: pending.scope,
      clientInfo: true,
      refresh: { spa: false },
      always: true,
    });
  }
}
