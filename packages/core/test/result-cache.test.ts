import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { createVerifierWithBackend } from '../src/verifier/create-verifier.js';
import { estimatedEntryBytes, ResultCache, tailNumber, type CachedVerification } from '../src/verifier/result-cache.js';
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

  it('does not take a forged token that copies a cached token\'s signature (the same lookup slot) for a hit', async () => {
    const backend = countingBackend(inner);
    const verifier = createVerifierWithBackend({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch }, backend);
    const token = await entra.mint({ scopes: ['Data.Read'] });
    await verifier.verify(token);
    await verifier.verify(token);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, roles: ['Admin'] })).toString('base64url')}.${signature}`;
    expect(tailNumber(forged)).toBe(tailNumber(token));
    expect((await rejection(verifier.verify(forged))).code).toBe('invalid_signature');
    // The cached token is still a hit: the forgery neither matched nor displaced it.
    const before = backend.verifications;
    await verifier.verify(token);
    expect(backend.verifications).toBe(before);
  });

  it('can be bounded by estimated bytes (maxBytes)', async () => {
    const backend = countingBackend(inner);
    const tokens = await Promise.all([entra.mint(), entra.mint(), entra.mint()]);
    const room = Math.max(...tokens.map(estimatedEntryBytes)) * 2 + 10;
    const verifier = createVerifierWithBackend({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, resultCache: { maxBytes: room } }, backend);
    for (const token of tokens) await verifier.verify(token);
    for (const token of tokens) await verifier.verify(token);
    expect(backend.verifications).toBe(6);
    // The last two fit and are hits; the first was evicted for them.
    await verifier.verify(tokens[2]!);
    await verifier.verify(tokens[1]!);
    expect(backend.verifications).toBe(6);
    await verifier.verify(tokens[0]!);
    expect(backend.verifications).toBe(7);
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

describe('result cache slots', () => {
  const entry = (token: string): CachedVerification => ({ auth: { token } as CachedVerification['auth'], expiresAt: Number.MAX_SAFE_INTEGER, keySetUrl: 'https://keys', kid: 'k', key: {} as CachedVerification['key'], authority: 0 });
  // Two texts with the same last characters share a lookup number.
  const first = 'aaaa.bbbb.signature-tail-0123456789';
  const second = 'cccc.dddd.signature-tail-0123456789';

  it('numbers tokens by their tail: small integers, equal for equal tails', () => {
    expect(tailNumber(first)).toBe(tailNumber(second));
    expect(tailNumber(first)).not.toBe(tailNumber(`${first.slice(0, -1)}8`));
    for (const text of ['', 'x', first]) expect(Number.isInteger(tailNumber(text)) && tailNumber(text) >= 0 && tailNumber(text) < 2 ** 30).toBe(true);
  });

  it('answers a lookup only for the exact text, and deletes only that text', () => {
    const cache = new ResultCache({ maxEntries: 10 });
    cache.set(entry(first));
    expect(cache.get(first, 0)?.auth.token).toBe(first);
    expect(cache.get(second, 0)).toBeUndefined();
    cache.delete(second);
    expect(cache.get(first, 0)?.auth.token).toBe(first);
    cache.delete(first);
    expect(cache.size).toBe(0);
  });

  it('admits a token at its second sighting, keyed by number (no token text kept)', () => {
    const cache = new ResultCache({ maxEntries: 2 });
    expect(cache.admit(first)).toBe(false);
    expect(cache.admit(first)).toBe(true);
    expect(cache.admit(first)).toBe(false);
  });

  it('reports the bytes it holds by the same estimate maxBytes uses', () => {
    const cache = new ResultCache({ maxBytes: 10_000 });
    cache.set(entry(first));
    expect(cache.bytes).toBe(estimatedEntryBytes(first));
    expect(estimatedEntryBytes('x'.repeat(1300))).toBe(2800);
  });
});
