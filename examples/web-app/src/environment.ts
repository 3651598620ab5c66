// The web app, the read/write API (a middle tier with a downstream API) and a fake Entra ID in
// which users consent themselves (`consent: 'prompt'`), as registered in a tenant: the API exposes
// data.read and data.write, the web app is a confidential client with a `web` redirect URI, and an
// administrator consented to the API calling the downstream API.
import { listenOnLoopback, type RunningServer } from '@entra-verify/example-support';
import { createDownstreamApi, createReadWriteApi, onBehalfOf } from '@entra-verify/example-read-write-api';
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { createAdaptorServer } from '@hono/node-server';
import { createServer, type Server } from 'node:http';
import { createWebApp } from './app.js';

export interface WebAppEnvironment {
  entra: FakeEntra;
  web: RunningServer;
  api: RunningServer;
  downstream: RunningServer;
  close(): Promise<void>;
}

const API_ID = '5d6c7b8a-1f2e-4d3c-8b9a-0e1f2a3b4c5d';

export async function startWebAppEnvironment(options: { port?: number } = {}): Promise<WebAppEnvironment> {
  // Listen first: the redirect URI names the port.
  let handler: Parameters<typeof createServer>[1] = (_req, res) => res.writeHead(503).end();
  const web = await listenOnLoopback(createServer((req, res) => handler!(req, res)), options.port ?? 0);
  const entra = await createFakeEntra({
    consent: 'prompt',
    apis: [{ appId: API_ID, identifierUri: 'api://read-write', scopes: ['data.read', 'data.write'] }, { identifierUri: 'api://downstream', scopes: ['caller.read'] }],
    clientApps: [
      { displayName: 'Read/write web app', redirectUris: { web: [`${web.url}/auth/redirect`, `${web.url}/`] } },
      { clientId: API_ID, displayName: 'Read/write API' },
    ],
    users: [{ givenName: 'Adele' }, { givenName: 'Bob', familyName: 'Kelly' }],
  });
  const [webClient, middleTier] = entra.clientApps as [typeof entra.clientApp, typeof entra.clientApp];
  entra.grantConsent({ clientId: middleTier.clientId, scopes: ['api://downstream/caller.read'] });

  const serve = (app: { fetch: (request: Request) => Response | Promise<Response> }) => listenOnLoopback(createAdaptorServer({ fetch: app.fetch }) as Server);
  const downstream = await serve(createDownstreamApi({ tenant: entra.tenantId, clientId: entra.apis[1]!.appId, fetch: entra.fetch }));
  const exchange = onBehalfOf({ clientId: middleTier.clientId, clientSecret: middleTier.clientSecret!, authority: entra.authority(), scopes: ['api://downstream/caller.read'], networkClient: entra.msalNetworkClient() });
  const api = await serve(createReadWriteApi({ tenant: entra.tenantId, clientId: API_ID, fetch: entra.fetch }, { downstream: { url: downstream.url, exchange } }));
  handler = createWebApp({
    clientId: webClient.clientId,
    clientSecret: webClient.clientSecret!,
    authority: entra.authority(),
    redirectUri: `${web.url}/auth/redirect`,
    homeUri: `${web.url}/`,
    api: { url: api.url, read: 'api://read-write/data.read', write: 'api://read-write/data.write' },
    sessionSecret: crypto.randomUUID(),
    networkClient: entra.msalNetworkClient(),
  });
  return { entra, web, api, downstream, close: async () => void (await Promise.all([web.close(), api.close(), downstream.close()])) };
}
