// Microsoft's key sets flap: a key in use is missing from one response and back in the next,
// served by another front end. One response without a key must not cost its tokens; a removal
// counts once a fetch at least a cooldown later confirms it. A key whose material changes under
// the same kid is another key, replaced at once.
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EntraVerifierOptions } from '../src/index.js';
import { backends, countingBackend, eventRecorder, manualClock, rejection, verifierFactory } from './support/backends.js';
import { flappingFetch, rewritingFetch } from './support/key-set-rewrite.js';

const HOUR = 3600_000;
const COOLDOWN = 5 * 60_000;
let entra: FakeEntra;
beforeEach(async () => {
  entra = await createFakeEntra();
});

describe.each(backends)('flapping key sets (%s)', (_name, inner) => {
  /** A verifier on a manual clock whose key-set responses go through `fetch`, with its events and signature count. */
  function setUp(fetch: typeof globalThis.fetch, extra: Partial<EntraVerifierOptions> = {}) {
    const clock = manualClock();
    const recorder = eventRecorder();
    const backend = countingBackend(inner);
    const verifier = verifierFactory(backend)({ tenant: entra.tenantId, clientId: entra.api.appId, fetch, now: clock.now, onEvent: recorder.onEvent, ...extra });
    const fetches = () => recorder.events.filter((e) => e.type === 'key_set_fetched').length;
    /** Verify a fresh token (which starts any refresh that is due) and wait until the fetch count reaches `count`. */
    const refreshUntil = async (count: number) => {
      await verifier.verify(await entra.mint({ issuedAt: Math.floor(clock.now() / 1000) }));
      await recorder.waitFor(() => fetches() >= count);
    };
    const removals = () => recorder.events.flatMap((e) => (e.type === 'key_set_rotated' ? e.removed : []));
    return { clock, recorder, backend, verifier, fetches, refreshUntil, removals };
  }
  /** A long-lived token signed by `kid`, issued at the clock's time. */
  const tokenFor = (kid: string, now: number) => entra.mint({ kid, issuedAt: Math.floor(now / 1000), expiresIn: 24 * 3600 });

  it('a key missing from one refresh still verifies, and its cached results are still served', async () => {
    const old = entra.keys.current;
    await entra.rotate();
    const { clock, backend, verifier, refreshUntil, removals } = setUp(flappingFetch(entra, () => old.kid));
    await verifier.warm();
    const cached = await tokenFor(old.kid, clock.now());
    await verifier.verify(cached);
    await verifier.verify(cached); // admitted to the result cache
    clock.advance(14 * HOUR);
    await refreshUntil(2); // this response lacks the old key
    const checked = backend.verifications;
    expect((await verifier.verify(cached)).header.kid).toBe(old.kid);
    expect(backend.verifications).toBe(checked); // a cache hit: no signature check
    expect((await verifier.verify(await tokenFor(old.kid, clock.now()))).header.kid).toBe(old.kid);
    expect(removals()).toEqual([]);
    clock.advance(COOLDOWN);
    await refreshUntil(3); // the key is back: nothing was removed, nothing is pending
    expect((await verifier.verify(cached)).header.kid).toBe(old.kid);
    expect(removals()).toEqual([]);
    expect(entra.requests.count('keys')).toBe(3);
  });

  it('a key that flaps for days never stops verifying and never shows up as removed', async () => {
    const old = entra.keys.current;
    await entra.rotate();
    const { clock, verifier, fetches, refreshUntil, removals } = setUp(flappingFetch(entra, () => old.kid));
    await verifier.warm();
    for (let refresh = 0; refresh < 8; refresh++) {
      clock.advance(14 * HOUR);
      await refreshUntil(fetches() + 1);
      expect((await verifier.verify(await tokenFor(old.kid, clock.now()))).header.kid).toBe(old.kid);
    }
    expect(removals()).toEqual([]);
  });

  it('a key absent from two refreshes a cooldown apart stops verifying, and its cached results die', async () => {
    const old = entra.keys.current;
    await entra.rotate();
    const { clock, backend, verifier, recorder, refreshUntil, removals } = setUp(entra.fetch);
    await verifier.warm();
    const cached = await tokenFor(old.kid, clock.now());
    await verifier.verify(cached);
    await verifier.verify(cached);
    entra.retire(old.kid);
    clock.advance(14 * HOUR);
    await refreshUntil(2); // first absence
    await verifier.verify(cached);
    // An unknown kid refetches at once; that response lacks the key too, but too soon to confirm.
    clock.advance(COOLDOWN - 1000);
    expect((await rejection(verifier.verify(await entra.mint({ header: { kid: 'never-published' } })))).code).toBe('signing_key_not_found');
    expect(entra.requests.count('keys')).toBe(3);
    const checked = backend.verifications;
    expect((await verifier.verify(cached)).header.kid).toBe(old.kid);
    expect(backend.verifications).toBe(checked);
    expect(removals()).toEqual([]);
    // The confirming refresh is due a cooldown after the first absence, not 12 h later.
    clock.advance(1000);
    await refreshUntil(4);
    await recorder.waitFor((e) => e.type === 'key_set_rotated' && e.removed.includes(old.kid));
    expect(removals()).toEqual([old.kid]);
    expect((await rejection(verifier.verify(cached))).code).toBe('signing_key_not_found');
    expect((await rejection(verifier.verify(await tokenFor(old.kid, clock.now())))).code).toBe('signing_key_not_found');
  });

  it('a key whose material changes under the same kid is replaced at once, and its cached results die', async () => {
    const original = entra.keys.current;
    const other = await entra.createUnpublishedKey();
    let swapped = false;
    const fetch = rewritingFetch(entra, (document) =>
      swapped ? { ...document, keys: document.keys.map((key) => (key.kid === original.kid ? { ...key, n: other.jwk.n, e: other.jwk.e } : key)) } : document,
    );
    const { clock, verifier, refreshUntil, removals } = setUp(fetch);
    await verifier.warm();
    const cached = await tokenFor(original.kid, clock.now());
    await verifier.verify(cached);
    await verifier.verify(cached);
    swapped = true;
    clock.advance(14 * HOUR);
    await refreshUntil(2).catch(() => {}); // the fresh token is signed by the original key: refused now
    expect((await rejection(verifier.verify(cached))).code).toBe('invalid_signature');
    expect((await verifier.verify(await entra.mint({ signingKey: other, header: { kid: original.kid }, issuedAt: Math.floor(clock.now() / 1000) }))).header.kid).toBe(original.kid);
    expect(removals()).toEqual([]);
  });
});
