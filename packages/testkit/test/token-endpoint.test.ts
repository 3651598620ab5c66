import { beforeAll, describe, expect, it } from 'vitest';
import { createFakeEntra, type FakeEntra } from '../src/index.js';
import { decodePayload, verifyWithJose } from './support/verify-with-jose.js';

let entra: FakeEntra;
beforeAll(async () => {
  entra = await createFakeEntra({
    apis: [{ identifierUri: 'api://lab', scopes: ['Data.Read'], appRoles: ['Data.Read.All', 'Data.Write.All'] }],
    clientApps: [{ appPermissions: ['Data.Read.All'] }, { clientSecret: null, displayName: 'CLI' }, {}],
  });
});

async function requestToken(form: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await entra.fetch(`${entra.authority()}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams(form), headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const credentials = (overrides: Record<string, string> = {}) => ({
  grant_type: 'client_credentials',
  client_id: entra.clientApp.clientId,
  client_secret: entra.clientApp.clientSecret!,
  scope: 'api://lab/.default',
  ...overrides,
});

describe('client credentials', () => {
  it('issue an app-only token whose roles are the permissions the client was granted', async () => {
    const { status, body } = await requestToken(credentials());
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
    const { payload } = await verifyWithJose(entra, body.access_token as string, { issuer: entra.issuer(2), audience: entra.api.appId });
    expect(payload).toMatchObject({ roles: ['Data.Read.All'], idtyp: 'app', azp: entra.clientApp.clientId });
    expect(payload).not.toHaveProperty('scp');
  });

  it('accept client_secret_basic and the appId form of the resource', async () => {
    const basic = btoa(`${entra.clientApp.clientId}:${entra.clientApp.clientSecret}`);
    const { status, body } = await requestToken({ grant_type: 'client_credentials', scope: `${entra.api.appId}/.default` }, { authorization: `Basic ${basic}` });
    expect(status).toBe(200);
    expect(decodePayload(body.access_token as string).aud).toBe(entra.api.appId);
  });

  it('issue a token without roles to a client that holds no app permission', async () => {
    const client = entra.clientApps[2]!;
    const { body } = await requestToken(credentials({ client_id: client.clientId, client_secret: client.clientSecret! }));
    expect(decodePayload(body.access_token as string)).not.toHaveProperty('roles');
  });

  it.each([
    ['a wrong secret', { client_secret: 'wrong' }, 401, 'invalid_client', 7000215],
    ['no secret', { client_secret: '' }, 401, 'invalid_client', 7000218],
    ['an unknown client', { client_id: crypto.randomUUID() }, 400, 'unauthorized_client', 700016],
    ['a scope without /.default', { scope: 'api://lab/Data.Read' }, 400, 'invalid_scope', 1002012],
    ['an unknown resource', { scope: 'api://unknown/.default' }, 400, 'invalid_resource', 500011],
    ['an unsupported grant', { grant_type: 'password' }, 400, 'unsupported_grant_type', 70003],
  ])('refuse %s with an Entra-shaped error', async (_case, overrides, status, error, code) => {
    const result = await requestToken(credentials(overrides));
    expect(result.status).toBe(status);
    expect(result.body).toMatchObject({ error, error_codes: [code] });
    expect(result.body.error_description).toMatch(new RegExp(`^AADSTS${code}: `));
    expect(result.body).toHaveProperty('trace_id');
    expect(result.body).toHaveProperty('correlation_id');
  });

  it('refuse a public client, which has no secret', async () => {
    const cli = entra.clientApps[1]!;
    const result = await requestToken(credentials({ client_id: cli.clientId, client_secret: 'anything' }));
    expect(result).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });
});

describe('device code', () => {
  it('approve at once for the first user and return delegated, ID and refresh tokens', async () => {
    const cli = entra.clientApps[1]!;
    const started = await entra.fetch(`${entra.authority()}/oauth2/v2.0/devicecode`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: cli.clientId, scope: 'api://lab/Data.Read openid profile offline_access' }),
    });
    const code = (await started.json()) as Record<string, string>;
    expect(code).toMatchObject({ verification_uri: 'https://microsoft.com/devicelogin', expires_in: 900 });
    const { status, body } = await requestToken({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: cli.clientId, device_code: code.device_code! });
    expect(status).toBe(200);
    const { payload } = await verifyWithJose(entra, body.access_token as string, { issuer: entra.issuer(2), audience: entra.api.appId });
    expect(payload).toMatchObject({ scp: 'Data.Read', oid: entra.user.objectId, azp: cli.clientId, azpacr: '0' });
    const id = await verifyWithJose(entra, body.id_token as string, { issuer: entra.issuer(2), audience: cli.clientId });
    expect(id.payload.preferred_username).toBe(entra.user.username);
    expect(JSON.parse(Buffer.from(body.client_info as string, 'base64url').toString())).toEqual({ uid: entra.user.objectId, utid: entra.tenantId });
    expect(body.scope).toBe('api://lab/Data.Read openid profile offline_access');
  });

  it('answer a device code used twice with invalid_grant', async () => {
    const cli = entra.clientApps[1]!;
    const started = await entra.fetch(`${entra.authority()}/oauth2/v2.0/devicecode`, { method: 'POST', body: new URLSearchParams({ client_id: cli.clientId, scope: 'api://lab/Data.Read' }) });
    const { device_code } = (await started.json()) as { device_code: string };
    const form = { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: cli.clientId, device_code };
    expect((await requestToken(form)).status).toBe(200);
    expect((await requestToken(form)).body).toMatchObject({ error: 'invalid_grant' });
  });

  it('hand out a Microsoft Graph token when only OpenID scopes are asked, as Entra does', async () => {
    const cli = entra.clientApps[1]!;
    const started = await entra.fetch(`${entra.authority()}/oauth2/v2.0/devicecode`, { method: 'POST', body: new URLSearchParams({ client_id: cli.clientId, scope: 'openid profile' }) });
    const { device_code } = (await started.json()) as { device_code: string };
    const { body } = await requestToken({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: cli.clientId, device_code });
    const token = body.access_token as string;
    expect(decodePayload(token).aud).toBe('00000003-0000-0000-c000-000000000000');
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toHaveProperty('nonce');
  });

  it('treat a bare scope such as User.Read as Microsoft Graph, as Entra does', async () => {
    const cli = entra.clientApps[1]!;
    const started = await entra.fetch(`${entra.authority()}/oauth2/v2.0/devicecode`, { method: 'POST', body: new URLSearchParams({ client_id: cli.clientId, scope: 'User.Read openid' }) });
    const { device_code } = (await started.json()) as { device_code: string };
    const { body } = await requestToken({ grant_type: 'device_code', client_id: cli.clientId, device_code });
    expect(decodePayload(body.access_token as string)).toMatchObject({ aud: '00000003-0000-0000-c000-000000000000', scp: 'openid profile email User.Read' });
    expect(body.scope).toBe('openid profile email https://graph.microsoft.com/User.Read');
  });

  it('refuse a scope the API does not expose', async () => {
    const cli = entra.clientApps[1]!;
    const started = await entra.fetch(`${entra.authority()}/oauth2/v2.0/devicecode`, { method: 'POST', body: new URLSearchParams({ client_id: cli.clientId, scope: 'api://lab/Admin' }) });
    const { device_code } = (await started.json()) as { device_code: string };
    const { status, body } = await requestToken({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: cli.clientId, device_code });
    expect(status).toBe(400);
    expect(body.error_codes).toEqual([650053]);
  });
});

describe('malformed requests', () => {
  it('answer garbage Basic credentials with 400, not a crash', async () => {
    const result = await requestToken({ grant_type: 'client_credentials', scope: 'api://lab/.default' }, { authorization: 'Basic %%%' });
    expect(result.status).toBe(400);
  });
});
