// Property-based, over real HTTP: random Authorization headers never make the middleware answer 500.
import { listenOnLoopback } from '@entra-verify/example-support';
import { createFakeEntra } from '@entra-verify/testkit';
import { createServer } from 'node:http';
import Koa3 from 'koa';
import Koa2 from 'koa2';
import { describe, expect, it } from 'vitest';
import { assertNoServerErrors, HEADER_RUNS } from '../../../test-support/authorization-header-property.js';
import { entraAuth } from '../src/index.js';

describe.each([
  ['Koa 3', Koa3],
  ['Koa 2', Koa2 as unknown as typeof Koa3],
])('random Authorization headers on %s', (name, Koa) => {
  it(`never produce a 500 (${HEADER_RUNS} cases)`, async () => {
    const entra = await createFakeEntra();
    const token = await entra.mint();
    const app = new Koa();
    app.use(entraAuth({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, authRequired: false }));
    app.use((ctx) => {
      ctx.body = 'ok';
    });
    const server = await listenOnLoopback(createServer(app.callback()));
    try {
      const statuses = await assertNoServerErrors(name, token, async (authorization) => (await fetch(`${server.url}/`, { headers: { authorization } })).status);
      expect(statuses.has(500)).toBe(false);
    } finally {
      await server.close();
    }
  });
});
