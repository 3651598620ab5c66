// Issue #18 in the Fastify adapter: Fastify's own logger (pino) as the logger option, 403s from
// route guards and config.entra reach onEvent and the log, and options from the environment.
import type { EntraVerifierEvent } from '@entra-verify/core';
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import Fastify, { type FastifyInstance } from 'fastify';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { entraAuth, requireScopes } from '../src/index.js';

let entra: FakeEntra;
const apps: FastifyInstance[] = [];
beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read', 'Data.Write'] }] });
});
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
});
afterEach(() => vi.unstubAllEnvs());

describe('Fastify: logging and events', () => {
  it('logger: app.log writes the 403 of a guard as a pino line with code, tenant and client app', async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({ write: (chunk, _encoding, callback) => void (lines.push(JSON.parse(String(chunk)) as Record<string, unknown>), callback()) });
    const app = Fastify({ logger: { level: 'info', stream } });
    apps.push(app);
    const events: EntraVerifierEvent[] = [];
    await app.register(entraAuth, { tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, logger: app.log, onEvent: (event) => void events.push(event) });
    app.get('/data', { preHandler: requireScopes('Data.Read') }, async () => ({ ok: true }));
    app.get('/config', { config: { entra: { scopes: ['Data.Read'] } } }, async () => ({ ok: true }));
    const token = await entra.mint({ scopes: ['Data.Write'] });
    for (const url of ['/data', '/config']) {
      const response = await app.inject({ url, headers: { authorization: `Bearer ${token}` } });
      expect(response.statusCode).toBe(403);
    }
    expect(events.filter((event) => event.type === 'token_rejected')).toHaveLength(2);
    const refusal = lines.find((line) => line.code === 'insufficient_scope');
    expect(refusal).toMatchObject({ level: 40, tenantId: entra.tenantId, clientAppId: entra.clientApp.clientId, msg: expect.stringContaining('insufficient_scope') });
    expect(JSON.stringify(lines)).not.toContain(token.split('.')[2]!);
  });

  it('registering with no tenant reads AZURE_TENANT_ID, and names it when missing', async () => {
    vi.stubEnv('AZURE_TENANT_ID', '');
    vi.stubEnv('AZURE_CLIENT_ID', entra.api.appId);
    const app = Fastify();
    apps.push(app);
    await expect(app.register(entraAuth, { logger: false }).ready()).rejects.toThrow(/AZURE_TENANT_ID/);
  });
});
