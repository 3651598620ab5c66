// On-behalf-of: the read/write API (middle tier) calls a downstream API for the same user, with a
// token from @azure/msal-node's acquireTokenOnBehalfOf; the downstream verifies it with core.
import { listenOnLoopback, type RunningServer } from '@entra-verify/example-support';
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDownstreamApi, createReadWriteApi, onBehalfOf } from '../src/index.js';

const MIDDLE_TIER = 'a9e3a1b0-5b2f-4c7e-9d41-0c2b8f6e7d01';
let entra: FakeEntra;
let api: RunningServer;
let downstream: RunningServer;

beforeAll(async () => {
  entra = await createFakeEntra({
    apis: [{ appId: MIDDLE_TIER, scopes: ['data.read', 'data.write'] }, { identifierUri: 'api://downstream', scopes: ['caller.read'] }],
    clientApps: [{ displayName: 'Web app' }, { clientId: MIDDLE_TIER, displayName: 'Read/write API (middle tier)' }],
  });
  const serve = (app: { fetch: (request: Request) => Response | Promise<Response> }) => listenOnLoopback(createAdaptorServer({ fetch: app.fetch }) as Server);
  downstream = await serve(createDownstreamApi({ tenant: entra.tenantId, clientId: entra.apis[1]!.appId, fetch: entra.fetch }));
  const middle = entra.clientApps[1]!;
  api = await serve(
    createReadWriteApi(
      { tenant: entra.tenantId, clientId: MIDDLE_TIER, fetch: entra.fetch },
      {
        downstream: {
          url: downstream.url,
          exchange: onBehalfOf({ clientId: middle.clientId, clientSecret: middle.clientSecret!, authority: entra.authority(), scopes: ['api://downstream/caller.read'], networkClient: entra.msalNetworkClient() }),
        },
      },
    ),
  );
});
afterAll(async () => {
  await Promise.all([api.close(), downstream.close()]);
});

describe('read/write API as a middle tier (on-behalf-of)', () => {
  it('calls the downstream API as the same user; the downstream sees the middle tier as the client app', async () => {
    const token = await entra.mint({ scopes: ['data.read'], user: { objectId: crypto.randomUUID(), name: 'Alice' } });
    const response = await fetch(`${api.url}/data/downstream`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const { oid } = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { oid: string };
    expect(await response.json()).toMatchObject({ downstreamStatus: 200, downstream: { objectId: oid, name: 'Alice', clientAppId: MIDDLE_TIER, scopes: ['caller.read'] } });
    expect(entra.requests.count((r) => r.grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer' && r.status === 200)).toBe(1);
  });

  it('the downstream API refuses the caller token itself: it was not issued for it', async () => {
    const token = await entra.mint({ scopes: ['data.read'] });
    const response = await fetch(`${downstream.url}/caller`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_token' });
  });
});
