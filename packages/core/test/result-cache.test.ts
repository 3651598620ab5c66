import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { createVerifierWithBackend } from '../src/verifier/create-verifier.js';
import { backends, countingBackend, manualClock, rejection } from './support/backends.js';

let entra: FakeEntra;
beforeAll(async () => {
  entra = await createFakeEntra({ tenants: 2, apis: [{ scopes: ['Data.Read'] }] });
});

describe.each(backends)('result cache (%s)', (_name, inner) => {
  it('is on by default: a token is cached at its second verification, then skips the signature check', async () => {
    const backend = countingBackend(inner);
    const verifier = createVerifierWithBackend({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch }, backend);
    const token = await entra.mint();
    for (let i = 0; i < 5; i++) await verifier.verify(token);
    expect(backend.verifications).toBe(2);
    expect(backend.imports).toBe(1);
    await verifier.verify(await entra.mint());
    expect(backend.verifications).toBe(3);
    expect(backend.imports).toBe(1);
  });

  it('can be turned off', async () => {
    const backend = countingBackend(inner);
    const verifier = createVerifierWithBackend({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, resultCache: false }, backend);
    const token = await entra.mint();
    await verifier.verify(token);
    await verifier.verify(token);
    expect(backend.verifications).toBe(2);
  });

  it('still checks expiry on every hit', async () => {
    const clock = manualClock();
    const verifier = createVerifierWithBackend({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, now: clock.now }, inner);
    const token = await entra.mint({ issuedAt: Math.floor(clock.now() / 1000), expiresIn: 600 });
    await verifier.verify(token);
    clock.advance(601_000 + 300_000);
    expect((await rejection(verifier.verify(token))).code).toBe('token_expired');
  });

  it('still runs the tenant callback on every hit', async () => {
    let allowed = true;
    let calls = 0;
    const verifier = createVerifierWithBackend(
      { tenant: 'common', clientId: entra.api.appId, allowedTenants: (tid) => (calls++, allowed && tid === entra.tenantId), fetch: entra.fetch },
      inner,
    );
    const token = await entra.mint();
    await verifier.verify(token);
    await verifier.verify(token);
    expect(calls).toBe(2);
    allowed = false;
    expect((await rejection(verifier.verify(token))).code).toBe('tenant_not_allowed');
  });

  it('still applies the requirement of each route', async () => {
    const verifier = createVerifierWithBackend({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch }, inner);
    const token = await entra.mint({ scopes: ['Data.Read'] });
    await verifier.verify(token, { scopes: ['Data.Read'] });
    expect((await rejection(verifier.verify(token, { scopes: ['Data.Write'] }))).code).toBe('insufficient_scope');
  });

  it('stays bounded by maxEntries', async () => {
    const backend = countingBackend(inner);
    const verifier = createVerifierWithBackend({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, resultCache: { maxEntries: 2 } }, backend);
    const tokens = await Promise.all([entra.mint(), entra.mint(), entra.mint()]);
    for (const token of tokens) await verifier.verify(token);
    await verifier.verify(tokens[0]!);
    expect(backend.verifications).toBe(4);
  });
});
