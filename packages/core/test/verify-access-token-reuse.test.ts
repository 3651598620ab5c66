// Issue #18, item 5: verifyAccessToken(token, { …inline options }) reuses one verifier per equal
// options, compared by value (functions and class instances by identity), and refuses to build
// verifiers without bound when every call brings new options.
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyAccessToken } from '../src/index.js';

let entra: FakeEntra;
beforeAll(async () => {
  entra = await createFakeEntra();
});

describe('verifyAccessToken() with inline options', () => {
  it('reuses one verifier (and one key fetch) for equal options written inline on every call', async () => {
    const fetch = entra.fetch;
    for (let i = 0; i < 5; i++) {
      await verifyAccessToken(await entra.mint(), { tenant: entra.tenantId, clientId: entra.api.appId, fetch, jwks: { timeoutMs: 4000 }, logger: false });
    }
    expect(entra.requests.count('keys')).toBe(1);
  });

  it('different values make different verifiers', async () => {
    const other = await createFakeEntra();
    await verifyAccessToken(await other.mint(), { tenant: other.tenantId, clientId: other.api.appId, fetch: other.fetch, logger: false });
    await verifyAccessToken(await other.mint(), { tenant: other.tenantId, clientId: other.api.appId, fetch: other.fetch, clockToleranceSeconds: 60, logger: false });
    expect(other.requests.count('keys')).toBe(2);
  });

  it('refuses, with the fix, when calls keep bringing new options (a new inline function each time)', async () => {
    const other = await createFakeEntra();
    const call = () => verifyAccessToken('x', { tenant: other.tenantId, clientId: other.api.appId, fetch: (input, init) => other.fetch(input, init), logger: false });
    let error: unknown;
    for (let i = 0; i < 100 && !error; i++) await call().catch((e: unknown) => (error = e instanceof TypeError ? e : undefined));
    expect(error).toBeInstanceOf(TypeError);
    expect(String((error as Error).message)).toMatch(/createEntraVerifier/);
    expect(other.requests.count('keys')).toBeLessThanOrEqual(32);
  });
});
