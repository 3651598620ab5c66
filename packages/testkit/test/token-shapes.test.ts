import { compactDecrypt, decodeProtectedHeader, importJWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFakeEntra, PERSONAL_ACCOUNT_TENANT_ID, type FakeEntra, type PublishedJwk } from '../src/index.js';
import { COMMON_V2_KEY_ISSUERS, ORGANIZATIONS_V2_KEY_ISSUERS } from './support/entra-captures.js';
import { decodeHeader, decodePayload, fetchJson, verifyWithJose } from './support/verify-with-jose.js';

let entra: FakeEntra;
const host = 'https://login.microsoftonline.com';
const msaIssuer = `${host}/${PERSONAL_ACCOUNT_TENANT_ID}/v2.0`;
beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{}, { tokenEncryption: true }] });
});

describe('personal Microsoft account tokens', () => {
  it('carry the personal-account tenant and its issuer, and verify against the common key set', async () => {
    const token = await entra.mint({ personalAccount: true });
    expect(decodePayload(token)).toMatchObject({ tid: PERSONAL_ACCOUNT_TENANT_ID, iss: msaIssuer });
    expect(decodeHeader(token).kid).toBe((await entra.keys.personal()).kid);
    await verifyWithJose(entra, token, { jwksUri: `${host}/common/discovery/v2.0/keys`, issuer: msaIssuer });
  });

  it('are signed by a key bound to that issuer, published under common and consumers but not organizations (as the captured key sets show)', async () => {
    expect(COMMON_V2_KEY_ISSUERS).toContain(msaIssuer);
    expect(ORGANIZATIONS_V2_KEY_ISSUERS).not.toContain(msaIssuer);
    const issuers = async (segment: string) =>
      (await fetchJson<{ keys: PublishedJwk[] }>(entra, `${host}/${segment}/discovery/v2.0/keys`)).keys.map((k) => k.issuer);
    expect(await issuers('common')).toEqual([`${host}/{tenantid}/v2.0`, msaIssuer]);
    expect(await issuers('consumers')).toContain(msaIssuer);
    expect(await issuers('organizations')).toEqual([`${host}/{tenantid}/v2.0`]);
    expect(await issuers(entra.tenantId)).not.toContain(msaIssuer);
  });
});

describe('ID tokens', () => {
  it('v2: aud is the client, nonce as given, no azp/appid/scp/roles, ver 2.0', async () => {
    const payload = decodePayload(await entra.mintIdToken({ nonce: 'n-123' }));
    expect(payload).toMatchObject({ aud: entra.clientApp.clientId, nonce: 'n-123', ver: '2.0', iss: `${host}/${entra.tenantId}/v2.0` });
    for (const claim of ['azp', 'appid', 'scp', 'roles']) expect(payload).not.toHaveProperty(claim);
    expect(payload).toHaveProperty('preferred_username');
  });

  it('v1: sts.windows.net issuer, upn and unique_name, x5t in the header, ver 1.0', async () => {
    const token = await entra.mintIdToken({ version: 1 });
    const payload = decodePayload(token);
    expect(payload).toMatchObject({ aud: entra.clientApp.clientId, ver: '1.0', iss: `https://sts.windows.net/${entra.tenantId}/`, upn: entra.user.username });
    expect(payload).toHaveProperty('nonce');
    expect(payload).not.toHaveProperty('appid');
    expect(decodeHeader(token).x5t).toBe(entra.keys.current.x5t);
    await verifyWithJose(entra, token, { audience: entra.clientApp.clientId });
  });
});

describe('certificate-bound tokens (mTLS PoP)', () => {
  it('carry cnf.x5t#S256 = base64url SHA-256 of the client certificate (RFC 8705 §3.1)', async () => {
    const certificate = await entra.createClientCertificate();
    const payload = decodePayload(await entra.mint({ certificate: certificate.certificate }));
    const digest = Buffer.from(await crypto.subtle.digest('SHA-256', certificate.certificate)).toString('base64url');
    expect(payload.cnf).toEqual({ 'x5t#S256': digest });
    expect(certificate.thumbprintS256).toBe(digest);
    expect(certificate.pem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
  });
});

describe('encrypted tokens (JWE)', () => {
  it('come for an API with a token-encryption key: RSA-OAEP-256 + A256GCM, nested JWT inside that verifies', async () => {
    const api = entra.apis[1]!;
    const key = api.tokenEncryptionKey!;
    const token = await entra.mint({ api: api.appId });
    expect(token.split('.')).toHaveLength(5);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT', kid: key.kid });
    const { plaintext } = await compactDecrypt(token, key.privateKey);
    const inner = new TextDecoder().decode(plaintext);
    const { payload } = await verifyWithJose(entra, inner, { audience: api.appId });
    expect(payload.aud).toBe(api.appId);
    const fromJwk = await importJWK(key.privateJwk, 'RSA-OAEP-256');
    expect((await compactDecrypt(token, fromJwk)).plaintext).toEqual(plaintext);
  });

  it('can be minted unencrypted on request, and refuse encryption for an API without a key', async () => {
    expect((await entra.mint({ api: entra.apis[1]!.appId, encrypt: false })).split('.')).toHaveLength(3);
    await expect(entra.mint({ encrypt: true })).rejects.toThrow(/no token-encryption key/);
  });
});

describe('Microsoft Entra External ID (CIAM)', () => {
  it('serves {tenantName}.ciamlogin.com by tenant id and domain, with the tenant-GUID issuer host', async () => {
    const ciam = await createFakeEntra({ externalId: { tenantName: 'Contoso' } });
    const tid = ciam.tenantId;
    expect(ciam.authority()).toBe(`https://contoso.ciamlogin.com/${tid}`);
    const byDomain = await fetchJson(ciam, 'https://contoso.ciamlogin.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration');
    expect(byDomain.issuer).toBe(`https://${tid}.ciamlogin.com/${tid}/v2.0`);
    expect(byDomain.jwks_uri).toBe('https://contoso.ciamlogin.com/contoso.onmicrosoft.com/discovery/v2.0/keys');
    const token = await ciam.mint();
    expect(decodePayload(token)).toMatchObject({ iss: `https://${tid}.ciamlogin.com/${tid}/v2.0`, tid, ver: '2.0' });
    await verifyWithJose(ciam, token, { issuer: ciam.issuer(2), jwksUri: String(byDomain.jwks_uri) });
  });
});
