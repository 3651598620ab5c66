// ID tokens, on purpose: createIdTokenVerifier for the web app that received one, with its nonce;
// the access-token verifier keeps refusing them.
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { createIdTokenVerifierWithBackend } from '../src/verifier/id-token-verifier.js';
import { backends, rejection, verifierFactory } from './support/backends.js';

let entra: FakeEntra;
beforeAll(async () => {
  entra = await createFakeEntra();
});

describe.each(backends)('ID tokens (%s)', (_name, backend) => {
  const options = () => ({ tenant: entra.tenantId, clientId: entra.clientApp.clientId, fetch: entra.fetch });

  it('verifies the id_token of a sign-in, v1 and v2, with its nonce', async () => {
    const verifier = createIdTokenVerifierWithBackend(options(), backend);
    for (const version of [1, 2] as const) {
      const user = await verifier.verify(await entra.mintIdToken({ version, nonce: 'n-0S6_WzA2Mj' }), { nonce: 'n-0S6_WzA2Mj' });
      expect(user).toMatchObject({ tokenVersion: version, tenantId: entra.tenantId, objectId: entra.user.objectId, name: entra.user.name });
    }
  });

  it('refuses a foreign nonce, an access token, and an ID token for another app', async () => {
    const verifier = createIdTokenVerifierWithBackend(options(), backend);
    expect((await rejection(verifier.verify(await entra.mintIdToken({ nonce: 'other' }), { nonce: 'mine' }))).code).toBe('nonce_mismatch');
    expect((await rejection(verifier.verify(await entra.mint({ audience: entra.clientApp.clientId })))).code).toBe('not_id_token');
    const other = createIdTokenVerifierWithBackend({ ...options(), clientId: crypto.randomUUID() }, backend);
    expect((await rejection(other.verify(await entra.mintIdToken()))).code).toBe('audience_mismatch');
  });

  it('shares the key-set cache of an access-token verifier', async () => {
    const api = verifierFactory(backend)({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch });
    const idTokens = createIdTokenVerifierWithBackend({ ...options(), keySetsOf: api }, backend);
    const before = entra.requests.count('keys');
    await api.verify(await entra.mint());
    await idTokens.verify(await entra.mintIdToken());
    expect(entra.requests.count('keys') - before).toBe(1);
    idTokens.close();
    await api.verify(await entra.mint());
  });

  it('the access-token verifier still refuses ID tokens', async () => {
    const api = verifierFactory(backend)({ tenant: entra.tenantId, clientId: entra.clientApp.clientId, fetch: entra.fetch });
    expect((await rejection(api.verify(await entra.mintIdToken()))).code).toBe('not_access_token');
  });
});
