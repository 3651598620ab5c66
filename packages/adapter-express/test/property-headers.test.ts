// Property-based, over real HTTP: random Authorization headers never make the middleware answer 500.
import { createFakeEntra } from '@entra-verify/testkit';
import express5 from 'express';
import express4 from 'express4';
import { describe, expect, it } from 'vitest';
import { assertNoServerErrors, HEADER_RUNS } from '../../../test-support/authorization-header-property.js';
import { withLoopbackServer } from '../../../test-support/loopback-server.js';
import { entraAuth } from '../src/index.js';

describe.each([
  ['Express 5', express5],
  ['Express 4', express4 as unknown as typeof express5],
])('random Authorization headers on %s', (name, express) => {
  it(`never produce a 500 (${HEADER_RUNS} cases)`, async () => {
    const entra = await createFakeEntra();
    const token = await entra.mint();
    const app = express();
    app.use(entraAuth({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, authRequired: false }));
    app.get('/', (_req, res) => res.send('ok'));
    const statuses = await withLoopbackServer(app.listen(0, '127.0.0.1'), (url) =>
      assertNoServerErrors(name, token, async (authorization) => (await fetch(url, { headers: { authorization } })).status),
    );
    expect(statuses.has(500)).toBe(false);
  });
});
