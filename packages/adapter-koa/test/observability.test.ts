// Issue #18 in the Koa adapter: the logger option, 403s from route guards reach onEvent and the
// log, and options from the environment.
import type { EntraVerifierEvent } from '@entra-verify/core';
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import Koa from 'koa';
import { listenOnLoopback } from '@entra-verify/example-support';
import { createServer } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { entraAuth, requireScopes } from '../src/index.js';

let entra: FakeEntra;
const closers: Array<() => Promise<void>> = [];
beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read', 'Data.Write'] }] });
});
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
});
afterEach(() => vi.unstubAllEnvs());

describe('Koa: logging and events', () => {
  it('a winston-style logger gets the 403 of requireScopes() at warn, and onEvent gets token_rejected', async () => {
    const warns: unknown[][] = [];
    const events: EntraVerifierEvent[] = [];
    const app = new Koa();
    app.use(entraAuth({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, logger: { warn: (...args: unknown[]) => void warns.push(args), info: () => {} }, onEvent: (event) => void events.push(event) }));
    const guard = requireScopes('Data.Read');
    app.use((ctx, next) => guard(ctx, next));
    app.use((ctx) => {
      ctx.body = { ok: true };
    });
    const server = await listenOnLoopback(createServer(app.callback()));
    closers.push(server.close);
    const response = await fetch(server.url, { headers: { authorization: `Bearer ${await entra.mint({ scopes: ['Data.Write'] })}` } });
    expect(response.status).toBe(403);
    expect(events.find((event) => event.type === 'token_rejected')).toMatchObject({ code: 'insufficient_scope', status: 403 });
    expect(String(warns[0]?.[0])).toContain('insufficient_scope');
    expect(warns[0]?.[1]).toMatchObject({ code: 'insufficient_scope', tenantId: entra.tenantId });
  });

  it('entraAuth() with no tenant reads AZURE_TENANT_ID, and names it when missing', () => {
    vi.stubEnv('AZURE_TENANT_ID', '');
    vi.stubEnv('AZURE_CLIENT_ID', entra.api.appId);
    expect(() => entraAuth({ logger: false })).toThrow(/AZURE_TENANT_ID/);
  });
});
