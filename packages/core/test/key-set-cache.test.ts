import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EntraVerifierEvent, EntraVerifierOptions } from '../src/index.js';
import { keySetCacheOf } from '../src/verifier/create-verifier.js';
import { backends, eventRecorder, manualClock, rejection, verifierFactory } from './support/backends.js';

const HOUR = 3600_000;
let entra: FakeEntra;
beforeEach(async () => {
  entra = await createFakeEntra();
});

describe.each(backends)('JWKS cache (%s)', (_name, backend) => {
  const create = verifierFactory(backend);
  const options = (extra: Partial<EntraVerifierOptions> = {}): EntraVerifierOptions => ({
    tenant: entra.tenantId,
    clientId: entra.api.appId,
    fetch: entra.fetch,
    resultCache: false,
    ...extra,
  });

  it('1,000 concurrent verifications on a cold cache cause exactly one key-set fetch', async () => {
    const verifier = create(options());
    const tokens = await Promise.all(Array.from({ length: 20 }, () => entra.mint()));
    const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => verifier.verify(tokens[i % tokens.length]!)));
    expect(results).toHaveLength(1000);
    expect(entra.requests.count('keys')).toBe(1);
  });

  it('10,000 tokens with random unknown kids cause at most one refetch per cooldown', async () => {
    const clock = manualClock();
    const verifier = create(options({ now: clock.now }));
    await verifier.verify(await entra.mint());
    const rogue = await entra.createUnpublishedKey();
    const template = await entra.mint({ signingKey: rogue });
    const [, payload, signature] = template.split('.');
    const forged = (kid: string) => `${Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid })).toString('base64url')}.${payload}.${signature}`;
    const flood = async () => {
      const errors = await Promise.all(Array.from({ length: 5000 }, () => rejection(verifier.verify(forged(crypto.randomUUID())))));
      expect(new Set(errors.map((e) => e.code))).toEqual(new Set(['signing_key_not_found']));
    };
    await flood();
    expect(entra.requests.count('keys')).toBe(2);
    await flood();
    expect(entra.requests.count('keys')).toBe(2);
    clock.advance(5 * 60_000);
    await flood();
    expect(entra.requests.count('keys')).toBe(3);
  });

  it('a kid the fresh set lacks is refused without waiting once the cooldown forbids a refetch, and a rotated key is still found after it', async () => {
    const clock = manualClock();
    const verifier = create(options({ now: clock.now }));
    await verifier.verify(await entra.mint());
    const [header, payload, signature] = (await entra.mint()).split('.') as [string, string, string];
    const unknownKid = (kid: string) => `${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(header, 'base64url').toString()), kid })).toString('base64url')}.${payload}.${signature}`;
    expect((await rejection(verifier.verify(unknownKid('first-unknown')))).code).toBe('signing_key_not_found');
    expect(entra.requests.count('keys')).toBe(2);
    // Within the cooldown: refused at once (the diagnosis says the same), no fetch.
    expect((await rejection(verifier.verify(unknownKid('second-unknown')))).code).toBe('signing_key_not_found');
    expect((await verifier.diagnose(unknownKid('third-unknown'))).checks.find((check) => check.rule === 'signing key')?.error?.code).toBe('signing_key_not_found');
    expect(entra.requests.count('keys')).toBe(2);
    const keySets = keySetCacheOf(verifier)!;
    const url = `https://login.microsoftonline.com/${entra.tenantId}/discovery/v2.0/keys`;
    expect([keySets.isKnownAbsent(url, 'fourth-unknown'), keySets.isKnownAbsent(url, JSON.parse(Buffer.from(header, 'base64url').toString()).kid)]).toEqual([true, false]);
    clock.advance(5 * 60_000 + 1);
    expect(keySets.isKnownAbsent(url, 'fourth-unknown')).toBe(false);
    // After the cooldown a new kid may be a rotation: fetched and found.
    await entra.rotate();
    await verifier.verify(await entra.mint());
    expect(entra.requests.count('keys')).toBe(3);
  });

  it('picks up a rotated key with one refetch', async () => {
    const events: EntraVerifierEvent[] = [];
    const verifier = create(options({ onEvent: (e) => events.push(e) }));
    await verifier.verify(await entra.mint());
    const fresh = await entra.rotate();
    const auth = await verifier.verify(await entra.mint());
    expect(auth.header.kid).toBe(fresh.kid);
    expect(entra.requests.count('keys')).toBe(2);
    expect(events).toContainEqual(expect.objectContaining({ type: 'key_set_rotated', added: [fresh.kid], removed: [] }));
    await verifier.verify(await entra.mint());
    expect(entra.requests.count('keys')).toBe(2);
  });

  it('stops accepting a retired key once two refreshes a cooldown apart lack it, and tokens cached for it die with it', async () => {
    const clock = manualClock();
    const recorder = eventRecorder();
    const verifier = create(options({ now: clock.now, resultCache: { maxEntries: 100 }, onEvent: recorder.onEvent }));
    const old = entra.keys.current;
    const oldToken = await entra.mint({ issuedAt: Math.floor(clock.now() / 1000), expiresIn: 24 * 3600 });
    await verifier.verify(oldToken);
    await entra.rotate();
    entra.retire(old.kid);
    await verifier.verify(oldToken); // served from the cache until the refresh
    clock.advance(14 * HOUR);
    await verifier.verify(await entra.mint({ issuedAt: Math.floor(clock.now() / 1000) })); // triggers the background refresh
    await recorder.waitFor((e) => e.type === 'key_set_fetched' && e.reason === 'refresh');
    await verifier.verify(oldToken); // one response without the key proves nothing yet
    clock.advance(5 * 60_000);
    await verifier.verify(await entra.mint({ issuedAt: Math.floor(clock.now() / 1000) })); // the confirming refresh
    await recorder.waitFor((e) => e.type === 'key_set_rotated' && e.removed.includes(old.kid));
    expect((await rejection(verifier.verify(oldToken))).code).toBe('signing_key_not_found');
  });

  it('keeps verifying when the key endpoint goes down after warm-up (stale-if-error)', async () => {
    const clock = manualClock();
    const recorder = eventRecorder();
    const verifier = create(options({ now: clock.now, onEvent: recorder.onEvent }));
    await verifier.warm();
    entra.faults.set('keys', { status: 503 });
    clock.advance(14 * HOUR);
    await verifier.verify(await entra.mint({ issuedAt: Math.floor(clock.now() / 1000) }));
    await recorder.waitFor((e) => e.type === 'key_set_fetch_failed');
    expect(recorder.events).toContainEqual(expect.objectContaining({ type: 'key_set_fetch_failed', reason: 'refresh', status: 503, servingStale: true }));
    clock.advance(19 * HOUR); // still inside the 24 h stale-if-error window of the last good fetch
    await verifier.verify(await entra.mint({ issuedAt: Math.floor(clock.now() / 1000) }));
  });

  it('gives up the stale keys once staleIfErrorMs has passed too', async () => {
    const clock = manualClock();
    const verifier = create(options({ now: clock.now, jwks: { staleIfErrorMs: HOUR } }));
    await verifier.warm();
    entra.faults.set('keys', { status: 500 });
    clock.advance(15 * HOUR); // past the latest jittered refresh (13.2 h) plus the 1 h stale window
    const error = await rejection(verifier.verify(await entra.mint({ issuedAt: Math.floor(clock.now() / 1000) })));
    expect(error.code).toBe('keys_unavailable');
    expect(error.status).toBe(503);
  });

  it('a key endpoint that hangs fails after the timeout with keys_unavailable', async () => {
    entra.faults.set('keys', { delayMs: Number.POSITIVE_INFINITY });
    const verifier = create(options({ jwks: { timeoutMs: 50 } }));
    const error = await rejection(verifier.verify(await entra.mint()));
    expect(error.code).toBe('keys_unavailable');
    expect(error.hint).toContain('did not answer within 50 ms');
  });

  it('a custom fetch that ignores its abort signal and never settles still fails after the timeout', async () => {
    const neverSettles = () => new Promise<Response>(() => {});
    const verifier = create(options({ fetch: neverSettles, jwks: { timeoutMs: 50 } }));
    const error = await rejection(verifier.verify(await entra.mint()));
    expect(error.code).toBe('keys_unavailable');
    expect(error.hint).toContain('did not answer within 50 ms');
  });

  it('a cold outage yields keys_unavailable with Retry-After, never invalid_token, then recovers', async () => {
    const clock = manualClock();
    const verifier = create(options({ now: clock.now }));
    entra.faults.set('keys', { status: 503 });
    const tokens = await Promise.all(Array.from({ length: 50 }, () => entra.mint()));
    const errors = await Promise.all(tokens.map((t) => rejection(verifier.verify(t))));
    for (const error of errors) {
      expect(error.code).toBe('keys_unavailable');
      expect(error.oauthError).toBeUndefined();
      expect(error.retryAfterSeconds).toBeGreaterThan(0);
    }
    expect(entra.requests.count('keys')).toBe(1);
    entra.faults.clear();
    await rejection(verifier.verify(tokens[0]!));
    expect(entra.requests.count('keys')).toBe(1);
    clock.advance(10_000);
    await verifier.verify(tokens[0]!);
    expect(entra.requests.count('keys')).toBe(2);
  });

  it.each([
    ['malformed JSON', { body: 'malformed-json' as const }],
    ['an empty key set', { body: 'empty-key-set' as const }],
    ['an oversized body', { body: 'oversized' as const }],
    ['a 500', { status: 500 }],
  ])('a refresh that returns %s never replaces the good keys', async (_case, fault) => {
    const clock = manualClock();
    const recorder = eventRecorder();
    const verifier = create(options({ now: clock.now, onEvent: recorder.onEvent }));
    await verifier.warm();
    entra.faults.set('keys', fault);
    clock.advance(14 * HOUR);
    const token = await entra.mint({ issuedAt: Math.floor(clock.now() / 1000) });
    await verifier.verify(token);
    await recorder.waitFor((e) => e.type === 'key_set_fetch_failed' && e.servingStale);
    await verifier.verify(token);
    expect(entra.requests.count('keys')).toBe(2);
  });

  it('refuses an oversized key set on a cold start with keys_unavailable', async () => {
    entra.faults.set('keys', { body: 'oversized', oversizedBytes: 2_000_000 });
    const error = await rejection(create(options()).verify(await entra.mint()));
    expect(error.code).toBe('keys_unavailable');
    expect(error.hint).toMatch(/1048576-byte limit/);
  });

  it('warm() loads keys up front and reports a failure', async () => {
    const verifier = create(options());
    await verifier.warm();
    expect(entra.requests.count('keys')).toBe(1);
    await verifier.verify(await entra.mint());
    expect(entra.requests.count('keys')).toBe(1);
    const wrongTenant = create(options({ tenant: crypto.randomUUID() }));
    const error = await rejection(wrongTenant.warm());
    expect(error.code).toBe('keys_unavailable');
    expect(error.hint).toMatch(/400\/404 for a tenant that does not exist/);
  });

  it('uses the ?appid= key set for apps with custom signing keys', async () => {
    const fake = await createFakeEntra({ apis: [{ customSigningKey: true }] });
    const token = await fake.mint();
    const plain = create({ tenant: fake.tenantId, clientId: fake.api.appId, fetch: fake.fetch });
    const error = await rejection(plain.verify(token));
    expect(error.code).toBe('signing_key_not_found');
    expect(error.hint).toContain('appId');
    const withAppId = create({ tenant: fake.tenantId, clientId: fake.api.appId, appId: fake.api.appId, fetch: fake.fetch });
    expect((await withAppId.verify(token)).tenantId).toBe(fake.tenantId);
    expect(fake.requests.byPath()).toHaveProperty([`/${fake.tenantId}/discovery/v2.0/keys?appid=${fake.api.appId}`]);
  });

  it('close() aborts and refuses further use', async () => {
    const verifier = create(options());
    await verifier.warm();
    verifier.close();
    await expect(verifier.verify(await entra.mint())).rejects.toThrow(/after close/);
  });
});
