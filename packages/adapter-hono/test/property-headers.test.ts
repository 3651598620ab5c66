// Property-based: whatever Authorization header arrives, the middleware answers 200, 400 or 401
// (never a 500). Values are printable ASCII, the only kind an HTTP header can carry.
import { createFakeEntra } from '@entra-verify/testkit';
import fc from 'fast-check';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { entraAuth } from '../src/index.js';

const RUNS = 400;
const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 300 });

describe('random Authorization headers', () => {
  it(`never produce a 500 (${RUNS} cases)`, async () => {
    const entra = await createFakeEntra();
    const valid = await entra.mint();
    const app = new Hono().use(entraAuth({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, authRequired: false })).get('/', (c) => c.text('ok'));
    const header = fc.oneof(
      printable,
      printable.map((s) => `Bearer ${s}`),
      fc.tuple(fc.nat(), printable).map(([at, s]) => `Bearer ${valid.slice(0, at % valid.length)}${s}`),
    );
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(header, async (value) => {
        const response = await app.request('/', { headers: { authorization: value } });
        statuses.add(response.status);
        return [200, 400, 401].includes(response.status);
      }),
      { numRuns: RUNS },
    );
    console.log(`property: ${RUNS} Authorization headers answered with ${[...statuses].sort().join(', ')}`);
    expect(statuses.has(500)).toBe(false);
  });
});
