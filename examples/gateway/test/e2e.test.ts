import { listenOnLoopback, startFakeEntraEnvironment, type EntraEnvironment, type RunningServer } from '@entra-verify/example-support';
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEchoBackend, type EchoBackend } from '../src/echo-backend.js';
import { createGateway } from '../src/gateway.js';

let environment: Extract<EntraEnvironment, { kind: 'fake' }>;
let backend: EchoBackend;
let backendServer: RunningServer;
let gatewayServer: RunningServer;
let url: string;
beforeAll(async () => {
  environment = await startFakeEntraEnvironment({ api: { scopes: ['Orders.Read'] }, clientApps: [{}, {}] });
  backend = createEchoBackend();
  backendServer = await listenOnLoopback(backend.server);
  const gateway = createGateway({ auth: { ...environment.verifier, allowedClientApps: [environment.entra.clientApp.clientId] }, backendUrl: backendServer.url });
  gatewayServer = await listenOnLoopback(createAdaptorServer({ fetch: gateway.fetch }) as Server);
  url = gatewayServer.url;
});
afterAll(async () => {
  await gatewayServer.close();
  await backendServer.close();
  await environment.close();
});

describe('gateway (user story 5)', () => {
  it('forwards a valid request with its token and streams the answer back', async () => {
    const token = await environment.entra.mint();
    const response = await fetch(`${url}/orders/42?expand=lines`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"qty":1}' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-backend')).toBe('echo');
    expect(await response.text()).toBe('backend saw POST /orders/42?expand=lines\nbody: {"qty":1}\n');
    expect(backend.received.at(-1)).toMatchObject({ authorization: `Bearer ${token}`, tenant: environment.entra.tenantId });
  });

  it('never lets a refused request reach the backend', async () => {
    const { entra } = environment;
    const before = backend.received.length;
    const refused = [
      undefined,
      await entra.mint({ clientAppId: entra.clientApps[1]!.clientId }),
      await entra.mint({ audience: 'api://another-api' }),
      await entra.mint({ tenantId: crypto.randomUUID() }),
      ...(await entra.attackTokens()).map((attack) => attack.token).filter((token) => token.length < 16_000),
    ];
    for (const token of refused) {
      const response = await fetch(`${url}/orders`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
      expect([400, 401]).toContain(response.status);
    }
    expect(backend.received.length).toBe(before);
  });

  it('names the refused client in the challenge', async () => {
    const token = await environment.entra.mint({ clientAppId: environment.entra.clientApps[1]!.clientId });
    const response = await fetch(`${url}/orders`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('The calling application is not allowed.');
  });
});
