// Property-based: random Authorization headers never make the middleware answer 500.
import { createFakeEntra } from '@entra-verify/testkit';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { assertNoServerErrors, HEADER_RUNS } from '../../../test-support/authorization-header-property.js';
import { entraAuth } from '../src/index.js';

describe('random Authorization headers', () => {
  it(`never produce a 500 (${HEADER_RUNS} cases)`, async () => {
    const entra = await createFakeEntra();
    const app = new Hono().use(entraAuth({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, authRequired: false })).get('/', (c) => c.text('ok'));
    const statuses = await assertNoServerErrors('Hono', await entra.mint(), async (authorization) => (await app.request('/', { headers: { authorization } })).status);
    expect(statuses.has(500)).toBe(false);
  });
});
