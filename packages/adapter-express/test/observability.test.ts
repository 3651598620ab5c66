// Issue #18 in the Express adapter: the logger option, 403s from route guards reach onEvent and
// the log, exposeHints in development, and options from the environment.
import type { EntraVerifierEvent } from '@entra-verify/core';
import { listenOnLoopback } from '@entra-verify/example-support';
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import express from 'express';
import { createServer } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { entraAuth, requireScopes, type EntraAuthMiddlewareOptions } from '../src/index.js';

let entra: FakeEntra;
const closers: Array<() => Promise<void>> = [];
beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read', 'Data.Write'] }] });
});
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
});
afterEach(() => vi.unstubAllEnvs());

async function start(options: Partial<EntraAuthMiddlewareOptions>) {
  const app = express();
  app.use(entraAuth({ fetch: entra.fetch, ...options } as EntraAuthMiddlewareOptions));
  app.get('/data', requireScopes('Data.Read'), (_req, res) => res.json({ ok: true }));
  const server = await listenOnLoopback(createServer(app));
  closers.push(server.close);
  return (token: string) => fetch(`${server.url}/data`, { headers: { authorization: `Bearer ${token}` } });
}

describe('Express: logging and events', () => {
  it('a pino-style logger gets the 403 of requireScopes() at warn, and onEvent gets token_rejected', async () => {
    const warns: unknown[][] = [];
    const events: EntraVerifierEvent[] = [];
    const logger = { warn: (...args: unknown[]) => void warns.push(args), info: () => {}, debug: () => {}, child: () => logger, bindings: () => ({}) };
    const get = await start({ tenant: entra.tenantId, clientId: entra.api.appId, logger, onEvent: (event) => void events.push(event) });
    const response = await get(await entra.mint({ scopes: ['Data.Write'] }));
    expect(response.status).toBe(403);
    expect(events.find((event) => event.type === 'token_rejected')).toMatchObject({ code: 'insufficient_scope', status: 403, requirement: { scopes: ['Data.Read'] } });
    expect(warns[0]?.[0]).toMatchObject({ code: 'insufficient_scope', tenantId: entra.tenantId, clientAppId: entra.clientApp.clientId });
  });

  it('exposeHints puts the hint (never the token) in the body', async () => {
    const get = await start({ tenant: entra.tenantId, clientId: entra.api.appId, logger: false, exposeHints: true });
    const token = await entra.mint({ issuedAt: Math.floor(Date.now() / 1000) - 7200, expiresIn: 60 });
    const body = await (await get(token)).json();
    expect(body).toMatchObject({ error: 'invalid_token', hint: expect.stringMatching(/expired/) });
    expect(JSON.stringify(body)).not.toContain(token.split('.')[1]!);
  });

  it('entraAuth() with no tenant or audience reads AZURE_TENANT_ID and AZURE_CLIENT_ID; a missing one is named', async () => {
    vi.stubEnv('AZURE_TENANT_ID', entra.tenantId);
    vi.stubEnv('AZURE_CLIENT_ID', entra.api.appId);
    const get = await start({ logger: false });
    expect((await get(await entra.mint({ scopes: ['Data.Read'] }))).status).toBe(200);
    vi.stubEnv('AZURE_CLIENT_ID', '');
    expect(() => entraAuth({ logger: false })).toThrow(/AZURE_CLIENT_ID/);
  });
});
