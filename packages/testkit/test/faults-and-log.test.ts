import { beforeEach, describe, expect, it } from 'vitest';
import { createFakeEntra, type FakeEntra } from '../src/index.js';

let entra: FakeEntra;
let keysUrl: string;
beforeEach(async () => {
  entra = await createFakeEntra();
  keysUrl = entra.jwksUri();
});

describe('faults', () => {
  it.each([500, 503])('answer %i with an Entra error body', async (status) => {
    entra.faults.set('keys', { status });
    const response = await entra.fetch(keysUrl);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: string }).error).toBe('temporarily_unavailable');
  });

  it('answer 429 with Retry-After', async () => {
    entra.faults.set('keys', { status: 429, retryAfter: 7 });
    const response = await entra.fetch(keysUrl);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
  });

  it('apply only to the endpoint named, and only `times` times', async () => {
    entra.faults.set('keys', { status: 503, times: 2 });
    expect((await entra.fetch(`${entra.authority()}/v2.0/.well-known/openid-configuration`)).status).toBe(200);
    expect((await entra.fetch(keysUrl)).status).toBe(503);
    expect((await entra.fetch(keysUrl)).status).toBe(503);
    expect((await entra.fetch(keysUrl)).status).toBe(200);
  });

  it('apply to every endpoint with "*", until cleared', async () => {
    entra.faults.set('*', { status: 500 });
    expect((await entra.fetch(`${entra.authority()}/v2.0/.well-known/openid-configuration`)).status).toBe(500);
    entra.faults.clear();
    expect((await entra.fetch(keysUrl)).status).toBe(200);
  });

  it('serve malformed JSON, an empty key set and an oversized body', async () => {
    entra.faults.set('keys', { body: 'malformed-json', times: 1 });
    await expect((await entra.fetch(keysUrl)).json()).rejects.toThrow(SyntaxError);
    entra.faults.set('keys', { body: 'empty-key-set', times: 1 });
    expect(await (await entra.fetch(keysUrl)).json()).toEqual({ keys: [] });
    entra.faults.set('keys', { body: 'oversized', oversizedBytes: 3_000_000, times: 1 });
    expect((await (await entra.fetch(keysUrl)).arrayBuffer()).byteLength).toBeGreaterThan(3_000_000);
  });

  it('delay an answer, and give up when the caller aborts', async () => {
    entra.faults.set('keys', { delayMs: 30, times: 1 });
    expect((await entra.fetch(keysUrl)).status).toBe(200);
    entra.faults.set('keys', { delayMs: Number.POSITIVE_INFINITY });
    // The caller's abort reason comes back as is (its message differs per runtime, its name does not).
    await expect(entra.fetch(keysUrl, { signal: AbortSignal.timeout(20) })).rejects.toMatchObject({ name: 'TimeoutError' });
  });
});

describe('request log', () => {
  it('counts requests per endpoint and per path, with status', async () => {
    await entra.fetch(keysUrl);
    await entra.fetch(keysUrl);
    await entra.fetch(`${entra.authority()}/v2.0/.well-known/openid-configuration`);
    entra.faults.set('keys', { status: 503, times: 1 });
    await entra.fetch(keysUrl);
    expect(entra.requests.count('keys')).toBe(3);
    expect(entra.requests.count('discovery')).toBe(1);
    expect(entra.requests.count()).toBe(4);
    expect(entra.requests.count((r) => r.status === 503)).toBe(1);
    expect(entra.requests.byPath()).toEqual({
      [`/${entra.tenantId}/discovery/v2.0/keys`]: 3,
      [`/${entra.tenantId}/v2.0/.well-known/openid-configuration`]: 1,
    });
    expect(entra.requests.all()[0]).toMatchObject({ method: 'GET', endpoint: 'keys', tenant: entra.tenantId, status: 200 });
    entra.requests.clear();
    expect(entra.requests.count()).toBe(0);
  });
});
