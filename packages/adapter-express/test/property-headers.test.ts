// Property-based, over real HTTP: random Authorization headers never make the middleware answer 500.
import { listenOnLoopback } from '@entra-verify/example-support';
import { createFakeEntra } from '@entra-verify/testkit';
import { createServer } from 'node:http';
import express5 from 'express';
import express4 from 'express4';
import { describe, expect, it } from 'vitest';
import { assertNoServerErrors, HEADER_RUNS } from '../../../test-support/authorization-header-property.js';
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
    const server = await listenOnLoopback(createServer(app));
    try {
      const statuses = await assertNoServerErrors(name, token, async (authorization) => (await fetch(`${server.url}/`, { headers: { authorization } })).status);
      expect(statuses.has(500)).toBe(false);
    } finally {
      await server.close();
    }
  });
});
