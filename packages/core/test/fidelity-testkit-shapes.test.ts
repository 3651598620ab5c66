// Core against the testkit's independent Entra shapes (each cited to Microsoft in the testkit):
// every cloud MSAL lists, B2C user flows and custom policies, External ID, personal accounts,
// encrypted tokens, certificate-bound tokens and a flapping key set. The testkit never reads
// core, so agreement here is agreement between two separate readings of Microsoft's documents.
import { createFakeB2C, createFakeEntra, knownClouds } from '@entra-verify/testkit';
import { describe, expect, it } from 'vitest';
import type { CloudName, EntraVerifierOptions } from '../src/index.js';
import { backends, manualClock, rejection, verifierFactory } from './support/backends.js';

/** The testkit names the sovereign clouds by country, core by Microsoft's cloud names; the hosts decide. */
const CORE_CLOUD_BY_AUTHORITY_HOST: Record<string, CloudName> = {
  'https://login.microsoftonline.com': 'public',
  'https://login.microsoftonline.us': 'usgov',
  'https://login.chinacloudapi.cn': 'china',
  'https://login.sovcloud-identity.fr': 'bleu',
  'https://login.sovcloud-identity.de': 'delos',
  'https://login.sovcloud-identity.sg': 'govsg',
};

describe.each(backends)('core against the testkit\'s Entra shapes (%s)', (_name, backend) => {
  const create = verifierFactory(backend);

  it.each(knownClouds.map((cloud) => [cloud.name, cloud] as const))('verifies v2 tokens of the %s cloud with that cloud, and refuses them with any other', async (_cloudName, cloud) => {
    const coreCloud = CORE_CLOUD_BY_AUTHORITY_HOST[cloud.authorityHost];
    expect(coreCloud, `core knows the cloud at ${cloud.authorityHost}`).toBeDefined();
    const entra = await createFakeEntra({ cloud: cloud.name });
    const options: EntraVerifierOptions = { tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, cloud: coreCloud! };
    await expect(create(options).verify(await entra.mint({ version: 2 }))).resolves.toMatchObject({ tokenVersion: 2, tenantId: entra.tenantId });
    if (cloud.v1IssuerHost !== undefined) {
      await expect(create(options).verify(await entra.mint({ version: 1, audience: entra.api.appId }))).resolves.toMatchObject({ tokenVersion: 1 });
    }
    for (const other of Object.values(CORE_CLOUD_BY_AUTHORITY_HOST).filter((name) => name !== coreCloud)) {
      // Refused: the other cloud's key set is elsewhere (the fake answers only its own hosts) or its issuer differs.
      const error = await rejection(create({ ...options, cloud: other }).verify(await entra.mint({ version: 2 })));
      expect(['issuer_mismatch', 'signing_key_issuer_mismatch', 'keys_unavailable', 'signing_key_not_found'], `a ${cloud.name} token under cloud ${other}`).toContain(error.code);
    }
  });

  it('verifies B2C user-flow and custom-policy tokens through the MSAL authority string, and reports the user flow', async () => {
    const b2c = await createFakeB2C({ tenantName: 'contosob2c', policies: ['B2C_1_susi', 'B2C_1A_signup_signin'] });
    for (const policy of ['B2C_1_susi', 'B2C_1A_signup_signin']) {
      const verifier = create({ tenant: b2c.tenantId, authority: b2c.authority(policy), audience: b2c.apiAppId, fetch: b2c.fetch });
      const auth = await verifier.verify(await b2c.mint({ policy }));
      expect(auth.userFlow?.toLowerCase()).toBe(policy.toLowerCase());
      expect(auth.tokenVersion).toBe(2);
      expect(auth.claims.tid).toBeUndefined();
    }
    // B2C's tenant-form issuer does not name the policy, and a tenant's policies may share keys, so
    // a token of another policy of the same tenant can verify: it reports its own user flow, which
    // an API that cares requires (requiredClaims on tfp / acr).
    const susi = create({ tenant: b2c.tenantId, authority: b2c.authority('B2C_1_susi'), audience: b2c.apiAppId, fetch: b2c.fetch });
    const custom = await b2c.mint({ policy: 'B2C_1A_signup_signin' });
    const outcome = await susi.verify(custom).then((auth) => auth.userFlow, (error: { code: string }) => error.code);
    expect(['b2c_1a_signup_signin', 'signing_key_not_found', 'issuer_mismatch']).toContain(outcome?.toLowerCase());
  });

  it('verifies External ID (CIAM) tokens through the ciamlogin.com authority', async () => {
    const ciam = await createFakeEntra({ externalId: { tenantName: 'contoso' } });
    const verifier = create({ tenant: ciam.tenantId, clientId: ciam.api.appId, authority: ciam.authority(), fetch: ciam.fetch });
    await expect(verifier.verify(await ciam.mint())).resolves.toMatchObject({ tenantId: ciam.tenantId });
  });

  it('accepts personal Microsoft accounts under "common" and never under "organizations"', async () => {
    const entra = await createFakeEntra();
    const msa = await entra.mint({ personalAccount: true });
    const common = create({ tenant: 'common', allowedTenants: ['*'], clientId: entra.api.appId, fetch: entra.fetch });
    await expect(common.verify(msa)).resolves.toMatchObject({ tenantId: '9188040d-6c67-4c5b-b112-36a304b66dad' });
    const organizations = create({ tenant: 'organizations', allowedTenants: ['*'], clientId: entra.api.appId, fetch: entra.fetch });
    expect(['tenant_not_allowed', 'signing_key_not_found']).toContain((await rejection(organizations.verify(msa))).code);
  });

  it('decrypts tokens for an API with a token-encryption key, and explains them without decryptionKeys', async () => {
    const entra = await createFakeEntra({ apis: [{ tokenEncryption: true }] });
    const token = await entra.mint();
    const { privateJwk } = entra.api.tokenEncryptionKey!;
    const options: EntraVerifierOptions = { tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch };
    await expect(create({ ...options, decryptionKeys: [privateJwk as never] }).verify(token)).resolves.toMatchObject({ tenantId: entra.tenantId });
    const locked = await rejection(create(options).verify(token));
    expect(locked.code).toBe('malformed_token');
    expect(locked.hint).toMatch(/token-encryption key.*decryptionKeys/);
  });

  it('accepts a certificate-bound token only with its certificate', async () => {
    const entra = await createFakeEntra();
    const cert = await entra.createClientCertificate();
    const token = await entra.mint({ certificate: cert.certificate });
    const verifier = create({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch });
    expect((await rejection(verifier.verify(token))).code).toBe('certificate_binding_required');
    await expect(verifier.verify(token, undefined, { clientCertificate: cert.certificate })).resolves.toBeDefined();
    const other = await entra.createClientCertificate();
    expect((await rejection(verifier.verify(token, undefined, { clientCertificate: other.certificate }))).code).toBe('certificate_mismatch');
  });

  it('keeps verifying with a key that flaps out of every other key-set response', async () => {
    const clock = manualClock();
    const entra = await createFakeEntra({ now: clock.now });
    const old = entra.keys.current;
    await entra.rotate();
    const token = await entra.mint({ kid: old.kid });
    const verifier = create({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, now: clock.now, resultCache: false, jwks: { refreshIntervalMs: 60_000, unknownKidCooldownMs: 10_000 } });
    await verifier.verify(token);
    entra.keys.flap(old.kid);
    // Refreshes a minute apart: every other one lacks the key, and the next one always has it again.
    for (let refresh = 0; refresh < 4; refresh++) {
      clock.advance(61_000);
      await verifier.verify(token);
      await new Promise((resolve) => setTimeout(resolve, 20)); // let the background refresh land
      await expect(verifier.verify(token)).resolves.toBeDefined();
    }
    expect(entra.requests.count('keys')).toBeGreaterThanOrEqual(3);
  });
});
