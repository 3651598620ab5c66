// User story 5 end to end, through the real nginx and the real Caddy of this machine (apt-get
// install -y nginx caddy; .ci/run installs them), each started on loopback with the example's own
// configuration files, in front of the echo backend, asking Entra forward-auth about every request.
import { listenOnLoopback, startFakeEntraEnvironment, type EntraEnvironment, type RunningServer } from '@entra-verify/example-support';
import { createFakeEntra, type FakeEntra, type ListeningFakeEntra } from '@entra-verify/testkit';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEchoBackend, type EchoBackend } from '../src/echo-backend.js';
import { startGateway, type RunningGateway } from '../src/gateway.js';
import { proxyBinary, type ProxyName } from '../src/proxies.js';

const example = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
/** Identity headers the backend saw, with empty ones dropped (nginx omits them, Caddy 2.6 sends them empty). */
const seen = (identity: Record<string, string | string[] | undefined>) => Object.fromEntries(Object.entries(identity).filter(([, value]) => value !== '' && value !== undefined));

for (const name of ['nginx', 'caddy'] as const satisfies readonly ProxyName[]) {
  const installed = proxyBinary(name) !== undefined;
  if (!installed) console.warn(`examples/gateway: ${name} is not installed, so its end-to-end tests are skipped (apt-get install -y ${name})`);

  describe.skipIf(!installed)(`gateway through real ${name} (user story 5)`, () => {
    let environment: Extract<EntraEnvironment, { kind: 'fake' }>;
    let backend: EchoBackend;
    let backendServer: RunningServer;
    let gateway: RunningGateway;
    let env: Record<string, string>;
    beforeAll(async () => {
      environment = await startFakeEntraEnvironment({ api: { scopes: ['Orders.Read', 'Orders.Write'] }, clientApps: [{}, {}] });
      backend = createEchoBackend();
      backendServer = await listenOnLoopback(backend.server);
      const { entra } = environment;
      env = { TENANT_ID: entra.tenantId, API_CLIENT_ID: entra.api.appId, ALLOWED_CLIENT_APP: entra.clientApp.clientId };
      gateway = await startGateway({ proxy: name, backend: new URL(backendServer.url).host, env, fetch: environment.server.fetch });
    });
    afterAll(async () => {
      await gateway?.close();
      await backendServer?.close();
      await environment?.close();
    });

    it('passes a valid request to the backend with its token and the verified identity', async () => {
      const { entra } = environment;
      const token = await entra.mint();
      const response = await fetch(`${gateway.url}/orders/42?expand=lines`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status, gateway.proxy.log()).toBe(200);
      expect(await response.text()).toBe('backend saw GET /orders/42?expand=lines\nbody: \n');
      const received = backend.received.at(-1)!;
      expect(received.authorization).toBe(`Bearer ${token}`);
      expect(seen(received.identity)).toEqual({
        'x-entra-object-id': entra.user.objectId,
        'x-entra-tenant-id': entra.tenantId,
        'x-entra-client-app-id': entra.clientApp.clientId,
        'x-entra-scopes': 'Orders.Read Orders.Write',
        'x-entra-authority': entra.issuer(2),
      });
    });

    it('gives the backend only the identity it verified, never a copy the client sent', async () => {
      const { entra } = environment;
      const token = await entra.mint({ scopes: ['Orders.Read'] });
      const forged = { 'X-Entra-Object-Id': crypto.randomUUID(), 'x-entra-tenant-id': crypto.randomUUID(), 'X-Entra-Client-App-Id': 'forged', 'X-Entra-Roles': 'Admin', 'X-Entra-Scopes': 'Orders.Write', 'X-Entra-Authority': 'https://evil.example/' };
      const response = await fetch(`${gateway.url}/orders`, { headers: { authorization: `Bearer ${token}`, ...forged } });
      expect(response.status).toBe(200);
      expect(seen(backend.received.at(-1)!.identity)).toEqual({
        'x-entra-object-id': entra.user.objectId,
        'x-entra-tenant-id': entra.tenantId,
        'x-entra-client-app-id': entra.clientApp.clientId,
        'x-entra-scopes': 'Orders.Read',
        'x-entra-authority': entra.issuer(2),
      });
    });

    it('refuses every attack token at the proxy: the backend never sees the request', async () => {
      const { entra } = environment;
      const before = backend.received.length;
      const attacks = await entra.attackTokens();
      const refused: Array<[string, string | undefined]> = [
        ['no token', undefined],
        ['client not allowed', await entra.mint({ clientAppId: entra.clientApps[1]!.clientId })],
        ['another API', await entra.mint({ audience: 'api://another-api' })],
        ['another tenant', await entra.mint({ tenantId: crypto.randomUUID() })],
        ...attacks.map((attack): [string, string] => [attack.name, attack.token]),
      ];
      expect(attacks.length).toBeGreaterThan(30);
      for (const [label, token] of refused) {
        const response = await fetch(`${gateway.url}/orders`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
        // 401 from forward-auth; 400 for malformed credentials; nginx itself answers 400 to a
        // header larger than its buffers (the oversized attack tokens), before asking anyone.
        expect([400, 401], label).toContain(response.status);
        await response.arrayBuffer();
      }
      expect(backend.received.length).toBe(before);
    });

    it('passes the 401 challenge to the client', async () => {
      const { entra } = environment;
      const token = await entra.mint({ clientAppId: entra.clientApps[1]!.clientId });
      const response = await fetch(`${gateway.url}/orders`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token", error_description="The calling application is not allowed."');
    });

    it('answers a missing scope with 403 and passes the insufficient_scope challenge to the client', async () => {
      const token = await environment.entra.mint({ scopes: ['Orders.Read'] });
      const before = backend.received.length;
      const response = await fetch(`${gateway.url}/orders`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"qty":1}' });
      expect(response.status).toBe(403);
      expect(response.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", error_description="The token lacks the scope this operation requires.", scope="Orders.Write"');
      expect(backend.received.length).toBe(before);
    });

    it('routes by the original method and path: POST needs Orders.Write, /public needs nothing', async () => {
      const { entra } = environment;
      const writer = await entra.mint();
      const post = await fetch(`${gateway.url}/orders`, { method: 'POST', headers: { authorization: `Bearer ${writer}` }, body: '{"qty":1}' });
      expect(post.status).toBe(200);
      expect(await post.text()).toBe('backend saw POST /orders\nbody: {"qty":1}\n');
      const open = await fetch(`${gateway.url}/public/status`, { headers: { 'x-entra-object-id': 'forged' } });
      expect(open.status).toBe(200);
      expect(seen(backend.received.at(-1)!.identity)).toEqual({});
    });

    it('refuses a client that describes another request in the header family its proxy does not set', async () => {
      const before = backend.received.length;
      const spoofed = { 'x-original-uri': '/public/x', 'x-original-method': 'GET', 'x-forwarded-uri': '/public/x', 'x-forwarded-method': 'GET' };
      const response = await fetch(`${gateway.url}/orders`, { method: 'POST', headers: spoofed, body: '{}' });
      expect([400, 401]).toContain(response.status);
      const traversal = await fetch(`${gateway.url}/public/..%2forders`);
      expect([400, 401]).toContain(traversal.status);
      expect(backend.received.length).toBe(before);
    });

    it('answers 503 with Retry-After when the key endpoint is down on a cold start', async () => {
      const { entra } = environment;
      entra.faults.set('keys', { status: 503 });
      const cold = await startGateway({ proxy: name, backend: new URL(backendServer.url).host, env, fetch: environment.server.fetch });
      try {
        const before = backend.received.length;
        const response = await fetch(`${cold.url}/orders`, { headers: { authorization: `Bearer ${await entra.mint()}` } });
        expect(response.status, cold.proxy.log()).toBe(503);
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(backend.received.length).toBe(before);
        const ready = await fetch(`${cold.forwardAuthUrl}/readyz`);
        expect(ready.status).toBe(503);
      } finally {
        entra.faults.clear();
        await cold.close();
      }
    });

    it('runs an API Management policy document as written (validate-azure-ad-token in <policies>)', async () => {
      const { entra } = environment;
      const apim = await startGateway({
        proxy: name,
        backend: new URL(backendServer.url).host,
        env: { AAD_TENANT_ID: entra.tenantId, AAD_CLIENT_APPLICATION_ID: entra.clientApp.clientId, API_CLIENT_ID: entra.api.appId },
        fetch: environment.server.fetch,
        configPath: example('apim/forward-auth-apim.yaml'),
      });
      try {
        expect((await fetch(`${apim.url}/orders`, { headers: { authorization: `Bearer ${await entra.mint()}` } })).status).toBe(200);
        const other = await fetch(`${apim.url}/orders`, { headers: { authorization: `Bearer ${await entra.mint({ clientAppId: entra.clientApps[1]!.clientId })}` } });
        expect(other.status).toBe(401);
      } finally {
        await apim.close();
      }
    });
  });

  describe.skipIf(!installed)(`the validate-jwt policy reference's Entra example through real ${name}`, () => {
    // The example names the tenant by domain (contoso.onmicrosoft.com), the v1 metadata, and the
    // audience 25eef6e4-…; a fake tenant with that domain and API serves it.
    let entra: FakeEntra;
    let server: ListeningFakeEntra;
    let backend: EchoBackend;
    let backendServer: RunningServer;
    let gateway: RunningGateway;
    beforeAll(async () => {
      entra = await createFakeEntra({ tenants: [{ id: crypto.randomUUID(), displayName: 'Contoso', domain: 'contoso.onmicrosoft.com' }], apis: [{ appId: '25eef6e4-c905-4a07-8eb4-0d08d5df8b3f', accessTokenVersion: 1, scopes: ['Data.Read'] }] });
      server = await entra.listen();
      backend = createEchoBackend();
      backendServer = await listenOnLoopback(backend.server);
      gateway = await startGateway({ proxy: name, backend: new URL(backendServer.url).host, env: {}, fetch: server.fetch, configPath: example('apim/validate-jwt-entra.xml') });
    });
    afterAll(async () => {
      await gateway?.close();
      await backendServer?.close();
      await server?.close();
    });

    it('lets a token with the required claim through, and refuses one without it with 401', async () => {
      const audience = '25eef6e4-c905-4a07-8eb4-0d08d5df8b3f';
      const good = await fetch(`${gateway.url}/data`, { headers: { authorization: `Bearer ${await entra.mint({ audience, claims: { id: 'insert claim here' } })}` } });
      expect(good.status, gateway.proxy.log()).toBe(200);
      const before = backend.received.length;
      const missing = await fetch(`${gateway.url}/data`, { headers: { authorization: `Bearer ${await entra.mint({ audience })}` } });
      expect(missing.status).toBe(401);
      // Caddy passes the service's body through; nginx answers 401 with its own page.
      if (name === 'caddy') expect(await missing.json()).toEqual({ error: 'invalid_token', error_description: 'Unauthorized. Access token is missing or invalid.' });
      // The v1 metadata's issuer is https://sts.windows.net/{tid}/: a v2 token does not pass.
      const v2 = await fetch(`${gateway.url}/data`, { headers: { authorization: `Bearer ${await entra.mint({ audience, version: 2, claims: { id: 'insert claim here' } })}` } });
      expect(v2.status).toBe(401);
      expect(backend.received.length).toBe(before);
    });
  });
}
