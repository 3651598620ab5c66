import { describe, expect, it } from 'vitest';
import { createFakeEntra, type PublishedJwk } from '../src/index.js';
import { fetchJson } from './support/verify-with-jose.js';

describe('keys.flap(kid)', () => {
  it('leaves the key out of every other key-set response, starting with the next, until steady()', async () => {
    const entra = await createFakeEntra();
    const old = entra.keys.current.kid;
    await entra.rotate();
    entra.keys.flap(old);
    const kids = async () => (await fetchJson<{ keys: PublishedJwk[] }>(entra, entra.jwksUri())).keys.map((k) => k.kid);
    const seen = [await kids(), await kids(), await kids(), await kids()];
    expect(seen.map((list) => list.includes(old))).toEqual([false, true, false, true]);
    expect(seen.every((list) => list.includes(entra.keys.current.kid))).toBe(true);
    entra.keys.steady(old);
    expect(await kids()).toContain(old);
    expect(await kids()).toContain(old);
  });
});
