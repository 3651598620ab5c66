import { beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { createFakeB2C, type FakeB2C } from '../src/index.js';
import { decodeHeader, decodePayload } from './support/verify-with-jose.js';

let b2c: FakeB2C;
beforeAll(async () => {
  b2c = await createFakeB2C({ tenantName: 'contosob2c', policies: ['B2C_1_susi', 'B2C_1A_signup_signin'] });
});

const getJson = async (url: string) => {
  const response = await b2c.fetch(url);
  expect(response.status, url).toBe(200);
  return (await response.json()) as Record<string, unknown>;
};

describe('createFakeB2C', () => {
  it('serves per-policy discovery at {tenant}.b2clogin.com/{tenant}.onmicrosoft.com/{policy}/v2.0/.well-known/openid-configuration', async () => {
    expect(b2c.discoveryUri('B2C_1_susi')).toBe('https://contosob2c.b2clogin.com/contosob2c.onmicrosoft.com/B2C_1_susi/v2.0/.well-known/openid-configuration');
    const doc = await getJson(b2c.discoveryUri('B2C_1_susi'));
    expect(doc).toMatchObject({
      issuer: `https://contosob2c.b2clogin.com/${b2c.tenantId}/v2.0/`,
      jwks_uri: 'https://contosob2c.b2clogin.com/contosob2c.onmicrosoft.com/B2C_1_susi/discovery/v2.0/keys',
      token_endpoint: 'https://contosob2c.b2clogin.com/contosob2c.onmicrosoft.com/B2C_1_susi/oauth2/v2.0/token',
      scopes_supported: ['openid'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
  });

  it('answers the tfp authority form, the tenant id, lower-case policy names and ?p=', async () => {
    for (const path of [
      `/tfp/contosob2c.onmicrosoft.com/B2C_1_susi/v2.0/.well-known/openid-configuration`,
      `/${b2c.tenantId}/b2c_1_susi/v2.0/.well-known/openid-configuration`,
      `/contosob2c.onmicrosoft.com/v2.0/.well-known/openid-configuration?p=B2C_1_susi`,
    ]) {
      expect((await getJson(`${b2c.host}${path}`)).issuer).toBe(b2c.issuer());
    }
    expect((await b2c.fetch(`${b2c.host}/contosob2c.onmicrosoft.com/B2C_1_other/v2.0/.well-known/openid-configuration`)).status).toBe(404);
  });

  it('publishes B2C-shaped keys (kid, nbf, use, kty, e, n; no x5c or issuer), one per policy family', async () => {
    const flow = (await getJson(b2c.jwksUri('B2C_1_susi'))) as { keys: Array<Record<string, unknown>> };
    const custom = (await getJson(b2c.jwksUri('B2C_1A_signup_signin'))) as { keys: Array<Record<string, unknown>> };
    expect(Object.keys(flow.keys[0]!).sort()).toEqual(['e', 'kid', 'kty', 'n', 'nbf', 'use']);
    expect(String(flow.keys[0]!.kid)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(flow.keys[0]!.kid).not.toBe(custom.keys[0]!.kid);
  });

  it('user-flow access tokens: ver 1.0, tfp, no tid, issuer with a trailing slash, verified by jose', async () => {
    const token = await b2c.mint({ policy: 'B2C_1_susi' });
    const payload = decodePayload(token);
    expect(payload).toMatchObject({ ver: '1.0', tfp: 'b2c_1_susi', aud: b2c.apiAppId, azp: b2c.clientId, scp: 'demo.read' });
    expect(payload).not.toHaveProperty('tid');
    expect(payload).not.toHaveProperty('acr');
    expect(String(payload.iss)).toMatch(new RegExp(`^https://contosob2c\\.b2clogin\\.com/${b2c.tenantId}/v2\\.0/$`));
    expect(payload.sub).toBe(payload.oid);
    expect(Object.keys(decodeHeader(token))).toEqual(['typ', 'alg', 'kid']);
    const jwks = createLocalJWKSet((await getJson(b2c.jwksUri('B2C_1_susi'))) as never);
    await jwtVerify(token, jwks, { issuer: b2c.issuer(), audience: b2c.apiAppId, algorithms: ['RS256'] });
  });

  it('custom-policy tokens carry the policy in acr and verify only with that policy\'s key set', async () => {
    const token = await b2c.mint({ policy: 'B2C_1A_signup_signin' });
    expect(decodePayload(token)).toMatchObject({ acr: 'b2c_1a_signup_signin', ver: '1.0' });
    expect(decodePayload(token)).not.toHaveProperty('tfp');
    const own = createLocalJWKSet((await getJson(b2c.jwksUri('B2C_1A_signup_signin'))) as never);
    const other = createLocalJWKSet((await getJson(b2c.jwksUri('B2C_1_susi'))) as never);
    await jwtVerify(token, own, { issuer: b2c.issuer() });
    await expect(jwtVerify(token, other)).rejects.toThrow();
  });

  it('ID tokens: aud is the client, nonce, no scp or azp', async () => {
    const payload = decodePayload(await b2c.mintIdToken({ nonce: 'abc' }));
    expect(payload).toMatchObject({ aud: b2c.clientId, nonce: 'abc', tfp: 'b2c_1_susi' });
    expect(payload).not.toHaveProperty('scp');
    expect(payload).not.toHaveProperty('azp');
  });

  it('writes the tfp issuer form when the policy is set to it', async () => {
    const tfp = await createFakeB2C({ tenantName: 'fab', issuerForm: 'tfp' });
    expect(decodePayload(await tfp.mint()).iss).toBe(`https://fab.b2clogin.com/tfp/${tfp.tenantId}/b2c_1_susi/v2.0/`);
  });

  it('logs requests, injects faults, and fails like an unreachable network for other hosts', async () => {
    b2c.faults.set('keys', { status: 503, times: 1 });
    expect((await b2c.fetch(b2c.jwksUri())).status).toBe(503);
    expect((await b2c.fetch(b2c.jwksUri())).status).toBe(200);
    expect(b2c.requests.count('keys')).toBeGreaterThanOrEqual(2);
    await expect(b2c.fetch('https://login.microsoftonline.com/common/discovery/v2.0/keys')).rejects.toThrow(TypeError);
  });
});
