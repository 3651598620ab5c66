import { createFakeEntra } from '@entra-verify/testkit';
import { describe, expect, it } from 'vitest';
import { createEntraVerifier } from '../src/index.js';

describe('key-set fetch', () => {
  it('tries once more after a network error (a reset keep-alive connection), not after an HTTP error', async () => {
    const entra = await createFakeEntra();
    let calls = 0;
    const flaky: typeof fetch = async (input, init) => {
      calls++;
      if (calls === 1) throw new TypeError('fetch failed', { cause: { code: 'UND_ERR_SOCKET' } });
      return entra.fetch(input, init);
    };
    const verifier = createEntraVerifier({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: flaky });
    await verifier.verify(await entra.mint());
    expect(calls).toBe(2);

    entra.faults.set('keys', { status: 500 });
    const other = createEntraVerifier({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch });
    entra.requests.clear();
    await expect(other.verify(await entra.mint())).rejects.toMatchObject({ code: 'keys_unavailable' });
    expect(entra.requests.count('keys')).toBe(1);
  });

  it('names the network reason in the hint when both attempts fail', async () => {
    const down: typeof fetch = async () => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    };
    const verifier = createEntraVerifier({ tenant: crypto.randomUUID(), audience: 'api://x', fetch: down });
    await expect(verifier.warm()).rejects.toMatchObject({ code: 'keys_unavailable', hint: expect.stringContaining('fetch failed (ECONNREFUSED)') });
  });
});
