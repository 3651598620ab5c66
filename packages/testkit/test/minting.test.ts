import { beforeAll, describe, expect, it } from 'vitest';
import { createFakeEntra, type FakeEntra } from '../src/index.js';
import { decodeHeader, decodePayload, GUID, verifyWithJose } from './support/verify-with-jose.js';

let entra: FakeEntra;
beforeAll(async () => {
  entra = await createFakeEntra({
    apis: [
      { scopes: ['Data.Read', 'Data.Write'], appRoles: ['Data.Read.All'] },
      { accessTokenVersion: 1, identifierUri: 'api://legacy-api', scopes: ['user_impersonation'] },
    ],
    clientApps: [{ appPermissions: ['Data.Read.All'] }],
  });
});

describe('v2 delegated tokens', () => {
  it('verify with jose against the served key set with the exact v2 issuer and the appId audience', async () => {
    const token = await entra.mint({ scopes: ['Data.Read'] });
    const { payload, protectedHeader } = await verifyWithJose(entra, token, {
      issuer: `https://login.microsoftonline.com/${entra.tenantId}/v2.0`,
      audience: entra.api.appId,
    });
    expect(protectedHeader).toEqual({ typ: 'JWT', alg: 'RS256', kid: entra.keys.current.kid });
    expect(payload).toMatchObject({
      ver: '2.0',
      tid: entra.tenantId,
      azp: entra.clientApp.clientId,
      azpacr: '1',
      scp: 'Data.Read',
      oid: entra.user.objectId,
      name: entra.user.name,
      preferred_username: entra.user.username,
    });
    for (const claim of ['aio', 'rh', 'uti', 'sub', 'iat', 'nbf', 'exp']) expect(payload).toHaveProperty(claim);
    expect(payload).not.toHaveProperty('appid');
    expect(payload).not.toHaveProperty('idtyp');
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it('defaults scp to every scope the API exposes, space-separated', async () => {
    expect(decodePayload(await entra.mint()).scp).toBe('Data.Read Data.Write');
  });
});

describe('v1 tokens', () => {
  it('carry the sts.windows.net issuer, the Application ID URI audience and v1 claim names', async () => {
    const token = await entra.mint({ api: 'api://legacy-api' });
    const { payload, protectedHeader } = await verifyWithJose(entra, token, {
      issuer: `https://sts.windows.net/${entra.tenantId}/`,
      audience: 'api://legacy-api',
    });
    expect(protectedHeader).toMatchObject({ x5t: entra.keys.current.x5t, kid: entra.keys.current.kid });
    expect(payload).toMatchObject({
      ver: '1.0',
      appid: entra.clientApp.clientId,
      appidacr: '1',
      unique_name: entra.user.username,
      upn: entra.user.username,
      scp: 'user_impersonation',
    });
    expect(payload).not.toHaveProperty('azp');
    expect(payload).not.toHaveProperty('preferred_username');
  });

  it('can be minted for a v2 API on request', async () => {
    const payload = decodePayload(await entra.mint({ version: 1 }));
    expect(payload.iss).toBe(`https://sts.windows.net/${entra.tenantId}/`);
    expect(payload.aud).toBe(entra.api.identifierUri);
  });
});

describe('app-only tokens', () => {
  it('carry roles, idtyp app, oid equal to sub and no scp', async () => {
    const payload = decodePayload(await entra.mint({ appOnly: true }));
    expect(payload.roles).toEqual(['Data.Read.All']);
    expect(payload.idtyp).toBe('app');
    expect(payload.oid).toBe(payload.sub);
    expect(payload.oid).toBe(entra.clientApp.servicePrincipalId);
    expect(payload).not.toHaveProperty('scp');
    expect(payload).not.toHaveProperty('name');
  });

  it('in v1 form name the client in appid and the identity provider in idp', async () => {
    const payload = decodePayload(await entra.mint({ appOnly: true, version: 1 }));
    expect(payload).toMatchObject({ appid: entra.clientApp.clientId, idp: `https://sts.windows.net/${entra.tenantId}/`, idtyp: 'app' });
  });
});

describe('overrides', () => {
  it('replace and remove claims and header fields', async () => {
    const token = await entra.mint({ claims: { tid: undefined, custom: 'x', scp: 'Other' }, header: { typ: undefined, cty: 'x' } });
    const payload = decodePayload(token);
    expect(payload).not.toHaveProperty('tid');
    expect(payload).toMatchObject({ custom: 'x', scp: 'Other' });
    expect(decodeHeader(token)).toEqual({ alg: 'RS256', kid: entra.keys.current.kid, cty: 'x' });
  });

  it('set times, tenant, audience, client and user', async () => {
    const tenantId = crypto.randomUUID();
    const payload = decodePayload(
      await entra.mint({ tenantId, audience: 'api://x', issuedAt: 1_000, notBefore: 1_100, expiresIn: 60, clientAppId: 'c1', user: { name: 'Bob' } }),
    );
    expect(payload).toMatchObject({ tid: tenantId, aud: 'api://x', iat: 1_000, nbf: 1_100, exp: 1_060, azp: 'c1', name: 'Bob' });
    expect(payload.iss).toBe(`https://login.microsoftonline.com/${tenantId}/v2.0`);
  });

  it('use an injected clock', async () => {
    const fixed = await createFakeEntra({ now: () => 1_700_000_000_000 });
    expect(decodePayload(await fixed.mint()).iat).toBe(1_700_000_000);
  });
});

describe('directory defaults', () => {
  it('use GUIDs for tenants, apps and users, and a realistic username', () => {
    expect(entra.tenantId).toMatch(GUID);
    expect(entra.api.appId).toMatch(GUID);
    expect(entra.api.identifierUri).toBe(`api://${entra.api.appId}`);
    expect(entra.user.objectId).toMatch(GUID);
    expect(entra.user.username).toMatch(/@contoso\.onmicrosoft\.com$/);
    expect(entra.clientApp.clientSecret).toMatch(/^.{30}$/);
  });

  it('refuses to mint for an API it does not know', async () => {
    await expect(entra.mint({ api: 'api://nope' })).rejects.toThrow(/no API "api:\/\/nope"/);
  });
});

describe('sovereign clouds', () => {
  it('US government: v2 issuer on login.microsoftonline.us, v1 on sts.windows.net', async () => {
    const gov = await createFakeEntra({ authorityHost: 'https://login.microsoftonline.us' });
    expect(decodePayload(await gov.mint()).iss).toBe(`https://login.microsoftonline.us/${gov.tenantId}/v2.0`);
    expect(decodePayload(await gov.mint({ version: 1 })).iss).toBe(`https://sts.windows.net/${gov.tenantId}/`);
    await verifyWithJose(gov, await gov.mint(), { issuer: gov.issuer(2) });
  });

  it('China: v2 issuer on login.partner.microsoftonline.cn (MSAL\'s metadata), v1 on sts.chinacloudapi.cn', async () => {
    const china = await createFakeEntra({ authorityHost: 'https://login.chinacloudapi.cn' });
    expect(decodePayload(await china.mint()).iss).toBe(`https://login.partner.microsoftonline.cn/${china.tenantId}/v2.0`);
    expect(decodePayload(await china.mint({ version: 1 })).iss).toBe(`https://sts.chinacloudapi.cn/${china.tenantId}/`);
  });
});
