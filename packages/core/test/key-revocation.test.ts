// verifier.revokeKey(kid): the emergency path for a leaked signing key. Refused at once, cached
// results included, and still refused while the key endpoint keeps publishing the key.
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EntraVerifierOptions } from '../src/index.js';
import { MAX_REVOKED_KIDS } from '../src/keys/key-set-cache.js';
import { backends, countingBackend, eventRecorder, manualClock, rejection, verifierFactory } from './support/backends.js';

const HOUR = 3600_000;
let entra: FakeEntra;
beforeEach(async () => {
  entra = await createFakeEntra();
});

describe.each(backends)('revokeKey (%s)', (_name, inner) => {
  function setUp(extra: Partial<EntraVerifierOptions> = {}) {
    const clock = manualClock();
    const recorder = eventRecorder();
    const backend = countingBackend(inner);
    const verifier = verifierFactory(backend)({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, now: clock.now, onEvent: recorder.onEvent, ...extra });
    const fresh = (kid?: string) => entra.mint({ ...(kid ? { kid } : {}), issuedAt: Math.floor(clock.now() / 1000), expiresIn: 24 * 3600 });
    return { clock, recorder, backend, verifier, fresh };
  }

  it('refuses the key at once, cached results included, without fetching anything', async () => {
    const { verifier, backend, fresh } = setUp();
    const leaked = entra.keys.current.kid;
    const cached = await fresh();
    await verifier.verify(cached);
    await verifier.verify(cached); // now in the result cache
    const checked = backend.verifications;
    expect((await verifier.verify(cached)).header.kid).toBe(leaked);
    expect(backend.verifications).toBe(checked);
    verifier.revokeKey(leaked);
    const error = await rejection(verifier.verify(cached));
    expect(error.code).toBe('signing_key_not_found');
    expect(error.hint).toContain('revoked');
    expect((await rejection(verifier.verify(await fresh()))).code).toBe('signing_key_not_found');
    expect(entra.requests.count('keys')).toBe(1); // a revoked kid is not looked for again
  });

  it('keeps the key refused through refreshes that still publish it, while other keys verify', async () => {
    const { clock, recorder, verifier, fresh } = setUp();
    const leaked = entra.keys.current.kid;
    const replacement = await entra.rotate();
    await verifier.warm();
    verifier.revokeKey(leaked);
    clock.advance(14 * HOUR);
    await verifier.verify(await fresh(replacement.kid)); // starts the refresh; the endpoint still lists the leaked key
    await recorder.waitFor((e) => e.type === 'key_set_fetched' && e.reason === 'refresh');
    expect(recorder.events.filter((e) => e.type === 'key_set_fetched').at(-1)).toMatchObject({ kids: [replacement.kid] });
    expect((await rejection(verifier.verify(await fresh(leaked)))).code).toBe('signing_key_not_found');
    expect((await verifier.verify(await fresh(replacement.kid))).header.kid).toBe(replacement.kid);
  });

  it('refuses a kid revoked before its key set was ever loaded', async () => {
    const { verifier, fresh } = setUp();
    const leaked = entra.keys.current.kid;
    verifier.revokeKey(leaked);
    const replacement = await entra.rotate();
    await verifier.warm();
    expect((await rejection(verifier.verify(await fresh(leaked)))).code).toBe('signing_key_not_found');
    expect((await verifier.verify(await fresh(replacement.kid))).header.kid).toBe(replacement.kid);
  });

  it(`remembers the last ${MAX_REVOKED_KIDS} revocations; an older one is forgotten and its key loads again`, async () => {
    const { verifier, fresh } = setUp();
    const kid = entra.keys.current.kid;
    await verifier.warm();
    verifier.revokeKey(kid);
    for (let i = 0; i < MAX_REVOKED_KIDS - 1; i++) verifier.revokeKey(`other-${i}`);
    expect((await rejection(verifier.verify(await fresh()))).code).toBe('signing_key_not_found');
    verifier.revokeKey('one-too-many');
    expect((await verifier.verify(await fresh())).header.kid).toBe(kid); // an unknown-kid refetch brings it back
  });

  it('revoking a kid again refreshes its place among the remembered ones', async () => {
    const { verifier, fresh } = setUp();
    const kid = entra.keys.current.kid;
    verifier.revokeKey(kid);
    for (let i = 0; i < MAX_REVOKED_KIDS - 1; i++) verifier.revokeKey(`other-${i}`);
    verifier.revokeKey(kid);
    verifier.revokeKey('one-more');
    expect((await rejection(verifier.verify(await fresh()))).code).toBe('signing_key_not_found');
  });

  it('throws on an empty or non-string kid', () => {
    const { verifier } = setUp();
    expect(() => verifier.revokeKey('')).toThrow(TypeError);
    expect(() => verifier.revokeKey(undefined as unknown as string)).toThrow(TypeError);
  });
});
