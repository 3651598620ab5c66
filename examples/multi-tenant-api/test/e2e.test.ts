import { listenOnLoopback, startFakeEntraEnvironment, type EntraEnvironment, type RunningServer } from '@entra-verify/example-support';
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSaasApi, CustomerDirectory } from '../src/app.js';

let environment: Extract<EntraEnvironment, { kind: 'fake' }>;
const servers: RunningServer[] = [];
beforeAll(async () => {
  environment = await startFakeEntraEnvironment({ api: { scopes: ['Saas.Use'] }, tenants: 2 });
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await environment.close();
});

async function start(allowedTenants: string[] | ((tid: string) => Promise<boolean>)) {
  const server = await listenOnLoopback(createServer(createSaasApi({ ...environment.verifier, tenant: 'organizations', allowedTenants })));
  servers.push(server);
  return (token: string) => fetch(`${server.url}/whoami`, { headers: { authorization: `Bearer ${token}` } });
}

describe('multi-tenant SaaS API (user story 6)', () => {
  it('accepts the onboarded tenant and refuses the other one (v1 and v2 tokens)', async () => {
    const customer = environment.entra.tenants[0]!;
    const stranger = environment.entra.tenants[1]!;
    const whoami = await start([customer.id]);
    for (const version of [1, 2] as const) {
      const ok = await whoami(await environment.entra.mint({ tenantId: customer.id, version }));
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ tenantId: customer.id });
      const refused = await whoami(await environment.entra.mint({ tenantId: stranger.id, version }));
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toContain('Tokens from this tenant are not accepted.');
    }
  });

  it('follows the customer directory at run time through the callback', async () => {
    const later = environment.entra.tenants[1]!;
    const directory = new CustomerDirectory();
    const whoami = await start(directory.isCustomer);
    const token = await environment.entra.mint({ tenantId: later.id });
    expect((await whoami(token)).status).toBe(401);
    directory.onboard(later.id);
    expect((await whoami(token)).status).toBe(200);
    directory.offboard(later.id);
    expect((await whoami(token)).status).toBe(401);
  });
});
