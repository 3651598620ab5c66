import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { backends, rejection, verifierFactory } from './support/backends.js';

// An External ID style authority: its own host, issuer and key set, reached through the fake's
// fetch handler (discovery-over-loopback.node.test.ts covers the same over a real socket).
const authorityHost = 'https://contoso.ciamlogin.com';
let entra: FakeEntra;
beforeAll(async () => {
  entra = await createFakeEntra({ authorityHost });
});

describe.each(backends)('discovery mode (%s)', (_name, backend) => {
  const create = verifierFactory(backend);

  it('takes issuer and jwks_uri from the authority metadata', async () => {
    const verifier = create({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, authority: `${authorityHost}/${entra.tenantId}/v2.0` });
    const auth = await verifier.verify(await entra.mint());
    expect(auth.tenantId).toBe(entra.tenantId);
    expect(auth.claims.iss).toBe(`https://contoso.ciamlogin.com/${entra.tenantId}/v2.0`);
  });

  it('refuses a token whose issuer differs from the metadata', async () => {
    const verifier = create({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, authority: `${authorityHost}/${entra.tenantId}/v2.0` });
    const error = await rejection(verifier.verify(await entra.mint({ version: 1 })));
    expect(error.code).toBe('signing_key_issuer_mismatch');
  });

  it('resolves {tenantid} in a multi-tenant authority', async () => {
    const verifier = create({ tenant: 'common', clientId: entra.api.appId, allowedTenants: [entra.tenantId], fetch: entra.fetch, authority: `${authorityHost}/common/v2.0` });
    await verifier.verify(await entra.mint());
    expect((await rejection(verifier.verify(await entra.mint({ tenantId: crypto.randomUUID() })))).code).toBe('tenant_not_allowed');
  });

  it('answers keys_unavailable with a hint when the metadata cannot be loaded', async () => {
    const verifier = create({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, authority: `${authorityHost}/${crypto.randomUUID()}/v2.0` });
    const error = await rejection(verifier.verify(await entra.mint()));
    expect(error.code).toBe('keys_unavailable');
    expect(error.hint).toMatch(/authority metadata at .* answered HTTP 400/);
  });
});
