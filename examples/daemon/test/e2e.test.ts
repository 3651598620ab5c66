import { listenOnLoopback, startFakeEntraEnvironment, type EntraEnvironment, type RunningServer } from '@entra-verify/example-support';
import type { FakeClientApp } from '@entra-verify/testkit';
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDaemon } from '../src/daemon.js';
import { reportsRegistration } from '../src/registration.js';
import { createReportsApi } from '../src/reports-api.js';

let environment: Extract<EntraEnvironment, { kind: 'fake' }>;
let api: RunningServer;
beforeAll(async () => {
  environment = await startFakeEntraEnvironment(reportsRegistration);
  api = await listenOnLoopback(createServer(createReportsApi(environment.verifier)));
});
afterAll(async () => {
  await api.close();
  await environment.close();
});

const daemonAs = (client: FakeClientApp) =>
  runDaemon({
    clientId: client.clientId,
    clientSecret: client.clientSecret!,
    authority: environment.entra.authority(),
    apiIdentifier: environment.entra.api.identifierUri,
    apiUrl: api.url,
    networkClient: environment.entra.msalNetworkClient(),
  });

describe('daemon (user story 4)', () => {
  it('reads reports by app permission, and may not rebuild without Reports.Rebuild', async () => {
    const [read, rebuild] = await daemonAs(environment.entra.clientApps[0]!);
    expect(read).toMatchObject({ status: 200, body: { caller: { type: 'app' } } });
    expect(rebuild!.status).toBe(403);
    expect(rebuild!.challenge).toContain('scope="Reports.Rebuild"');
  });

  it('rebuilds with the Reports.Rebuild app permission', async () => {
    const [, rebuild] = await daemonAs(environment.entra.clientApps[1]!);
    expect(rebuild).toMatchObject({ status: 202, body: { rebuilding: true } });
  });

  it('a daemon granted nothing gets a token without roles, which the API refuses', async () => {
    const [read] = await daemonAs(environment.entra.clientApps[2]!);
    expect(read!.status).toBe(401);
    expect(read!.challenge).toContain('The token grants no permission to this API.');
  });

  it('users reach GET /reports by delegated scope, never the app-only route', async () => {
    const token = await environment.entra.mint({ scopes: ['Reports.Read'] });
    const headers = { authorization: `Bearer ${token}` };
    expect((await fetch(`${api.url}/reports`, { headers })).status).toBe(200);
    expect((await fetch(`${api.url}/reports/rebuild`, { method: 'POST', headers })).status).toBe(403);
    const roleHolder = await environment.entra.mint({ scopes: ['Reports.Read'], roles: ['Reports.Rebuild'] });
    expect((await fetch(`${api.url}/reports/rebuild`, { method: 'POST', headers: { authorization: `Bearer ${roleHolder}` } })).status).toBe(403);
  });
});
