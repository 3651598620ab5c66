import { listenOnLoopback, startFakeEntraEnvironment, type EntraEnvironment, type RunningServer } from '@entra-verify/example-support';
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLabApi } from '../src/app.js';
import { acquireDaemonToken, acquireDeviceCodeToken } from '../src/clients.js';
import { runDemo } from '../src/demo.js';
import { labRegistration } from '../src/registration.js';

let environment: Extract<EntraEnvironment, { kind: 'fake' }>;
let api: RunningServer;
beforeAll(async () => {
  environment = await startFakeEntraEnvironment(labRegistration);
  api = await listenOnLoopback(createServer(createLabApi(environment.verifier)));
});
afterAll(async () => {
  await api.close();
  await environment.close();
});

const getData = (token?: string) => fetch(`${api.url}/data`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

describe('Lab API (user story 1)', () => {
  it('answers 401 with a Bearer challenge without a token', async () => {
    const response = await getData();
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="lab-data-api"');
  });

  it('answers 200 with the caller for a device-code token with Data.Read', async () => {
    const { entra } = environment;
    const token = await acquireDeviceCodeToken({ clientId: entra.clientApps[1]!.clientId, authority: entra.authority(), scopes: [`${entra.api.identifierUri}/Data.Read`], networkClient: entra.msalNetworkClient() });
    const response = await getData(token);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ caller: { type: 'user', objectId: entra.user.objectId, scopes: ['Data.Read'], tenantId: entra.tenantId } });
  });

  it('answers 403 insufficient_scope for a token without Data.Read', async () => {
    const { entra } = environment;
    const token = await acquireDeviceCodeToken({ clientId: entra.clientApps[1]!.clientId, authority: entra.authority(), scopes: [`${entra.api.identifierUri}/Data.Write`], networkClient: entra.msalNetworkClient() });
    const response = await getData(token);
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toContain('scope="Data.Read"');
  });

  it('lets the daemon in by app permission', async () => {
    const { entra } = environment;
    const daemon = entra.clientApps[0]!;
    const token = await acquireDaemonToken({ clientId: daemon.clientId, clientSecret: daemon.clientSecret!, authority: entra.authority(), scope: `${entra.api.identifierUri}/.default`, networkClient: entra.msalNetworkClient() });
    expect(await (await getData(token)).json()).toMatchObject({ caller: { type: 'app', roles: ['Data.Read.All'] } });
  });

  it('keeps /health public', async () => {
    expect((await fetch(`${api.url}/health`)).status).toBe(200);
  });
});

describe('npm run demo', () => {
  it('prints every step and reports all answers as expected', async () => {
    const lines: string[] = [];
    expect(await runDemo((line) => lines.push(line))).toBe(true);
    const transcript = lines.join('\n');
    expect(transcript).toContain('7 of 7 answers as expected.');
    for (const status of ['← 401 Unauthorized', '← 200 OK', '← 403 Forbidden']) expect(transcript).toContain(status);
    expect(transcript).toContain('The token is for Microsoft Graph, not for this API.');
    expect(transcript).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}\./);
  });
});
