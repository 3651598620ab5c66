import { beforeAll, describe, expect, it } from 'vitest';
import { createFakeEntra, type FakeEntra, type PublishedJwk } from '../src/index.js';
import { fetchJson, verifyWithJose } from './support/verify-with-jose.js';

let entra: FakeEntra;
const host = 'https://login.microsoftonline.com';
beforeAll(async () => {
  entra = await createFakeEntra({ tenants: 2, apis: [{}, { customSigningKey: true }] });
});

describe('discovery documents', () => {
  it('serve the tenant v2 document with a tenant issuer and tenant endpoints', async () => {
    const doc = await fetchJson(entra, `${host}/${entra.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(doc).toMatchObject({
      issuer: `${host}/${entra.tenantId}/v2.0`,
      jwks_uri: `${host}/${entra.tenantId}/discovery/v2.0/keys`,
      token_endpoint: `${host}/${entra.tenantId}/oauth2/v2.0/token`,
      device_authorization_endpoint: `${host}/${entra.tenantId}/oauth2/v2.0/devicecode`,
      id_token_signing_alg_values_supported: ['RS256'],
      cloud_instance_name: 'microsoftonline.com',
    });
  });

  it('serve the v1 document with the sts.windows.net issuer', async () => {
    const doc = await fetchJson(entra, `${host}/${entra.tenantId}/.well-known/openid-configuration`);
    expect(doc.issuer).toBe(`https://sts.windows.net/${entra.tenantId}/`);
    expect(doc.jwks_uri).toBe(`${host}/${entra.tenantId}/discovery/keys`);
  });

  it.each(['common', 'organizations'])('serve %s with the {tenantid} issuer template', async (segment) => {
    const v2 = await fetchJson(entra, `${host}/${segment}/v2.0/.well-known/openid-configuration`);
    const v1 = await fetchJson(entra, `${host}/${segment}/.well-known/openid-configuration`);
    expect(v2.issuer).toBe(`${host}/{tenantid}/v2.0`);
    expect(v2.jwks_uri).toBe(`${host}/${segment}/discovery/v2.0/keys`);
    expect(v1.issuer).toBe('https://sts.windows.net/{tenantid}/');
  });

  it('point jwks_uri at the app key set when asked with ?appid=', async () => {
    const doc = await fetchJson(entra, `${host}/${entra.tenantId}/v2.0/.well-known/openid-configuration?appid=abc`);
    expect(doc.jwks_uri).toBe(`${host}/${entra.tenantId}/discovery/v2.0/keys?appid=abc`);
  });

  it('answer an unknown tenant with Entra\'s 400 AADSTS90002', async () => {
    const response = await entra.fetch(`${host}/${crypto.randomUUID()}/discovery/v2.0/keys`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; error_codes: number[]; error_description: string };
    expect(body.error).toBe('invalid_tenant');
    expect(body.error_codes).toEqual([90002]);
    expect(body.error_description).toMatch(/^AADSTS90002: Tenant '.+' not found/);
  });

  it('answer unknown paths with 404', async () => {
    expect((await entra.fetch(`${host}/nope`)).status).toBe(404);
  });

  it('fail like an unreachable network for another host', async () => {
    await expect(entra.fetch('https://login.microsoftonline.us/common/discovery/v2.0/keys')).rejects.toThrow(TypeError);
  });
});

describe('key sets', () => {
  it('publish RSA keys like Entra: kid = x5t, use sig, x5c, issuer template and cloud name on v2', async () => {
    const { keys } = await fetchJson<{ keys: PublishedJwk[] }>(entra, `${host}/${entra.tenantId}/discovery/v2.0/keys`);
    expect(keys).toHaveLength(1);
    const [key] = keys;
    expect(key).toMatchObject({
      kty: 'RSA',
      use: 'sig',
      kid: entra.keys.current.kid,
      x5t: entra.keys.current.kid,
      e: 'AQAB',
      issuer: `${host}/{tenantid}/v2.0`,
      cloud_instance_name: 'microsoftonline.com',
    });
    expect(Buffer.from(key!.n, 'base64url')).toHaveLength(256);
    expect(key!.x5c).toHaveLength(1);
  });

  it('publish the same keys without issuer on the v1 endpoint and under common', async () => {
    const v1 = await fetchJson<{ keys: PublishedJwk[] }>(entra, `${host}/${entra.tenantId}/discovery/keys`);
    const common = await fetchJson<{ keys: PublishedJwk[] }>(entra, `${host}/common/discovery/v2.0/keys`);
    expect(v1.keys.map((k) => k.kid)).toEqual([entra.keys.current.kid]);
    expect(v1.keys[0]).not.toHaveProperty('issuer');
    // common also publishes the personal-account key, bound to that tenant (see token-shapes.test.ts).
    expect(common.keys.map((k) => k.kid)).toEqual([entra.keys.current.kid, (await entra.keys.personal()).kid]);
  });

  it('publish an app\'s custom key only at ?appid=, bound to its tenant, and sign its tokens with it', async () => {
    const app = entra.apis[1]!;
    const token = await entra.mint({ api: app.appId });
    const plain = `${host}/${entra.tenantId}/discovery/v2.0/keys`;
    await expect(verifyWithJose(entra, token, { jwksUri: plain })).rejects.toThrow();
    const { keys } = await fetchJson<{ keys: PublishedJwk[] }>(entra, entra.jwksUri(entra.tenantId, { appId: app.appId }));
    const appKey = keys.find((k) => k.kid !== entra.keys.current.kid);
    expect(appKey?.issuer).toBe(`${host}/${entra.tenantId}/v2.0`);
    const { payload } = await verifyWithJose(entra, token, { jwksUri: entra.jwksUri(entra.tenantId, { appId: app.appId }), audience: app.appId });
    expect(payload.tid).toBe(entra.tenantId);
  });
});
