// The Worker's app on Node, through Hono's fetch interface with Worker-style bindings. The same
// bundle runs on workerd itself in `npm run test:runtimes` (runtime-matrix/worker-example.mjs).
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createWorkerApi, type WorkerBindings } from '../src/app.js';

let entra: FakeEntra;
let env: WorkerBindings;
beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{ scopes: ['Reports.Read', 'Profile.Read'] }] });
  env = { TENANT_ID: entra.tenantId, CLIENT_ID: entra.api.appId };
});
afterEach(() => vi.restoreAllMocks());

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

describe('worker-api', () => {
  it('answers /api/me with the caller for any valid token', async () => {
    const app = createWorkerApi({ fetch: entra.fetch });
    const response = await app.request('/api/me', bearer(await entra.mint({ scopes: ['Profile.Read'] })), env);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ objectId: entra.user.objectId, type: 'user', tenantId: entra.tenantId, scopes: ['Profile.Read'] });
  });

  it('needs Reports.Read for /api/reports and says so in the challenge', async () => {
    const app = createWorkerApi({ fetch: entra.fetch });
    const refused = await app.request('/api/reports', bearer(await entra.mint({ scopes: ['Profile.Read'] })), env);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="worker-api", error="insufficient_scope", error_description="The token lacks the scope this operation requires.", scope="Reports.Read"');
    const allowed = await app.request('/api/reports', bearer(await entra.mint({ scopes: ['Reports.Read'] })), env);
    expect(allowed.status).toBe(200);
  });

  it('answers 401 without a token and for a token minted for another API', async () => {
    const app = createWorkerApi({ fetch: entra.fetch });
    expect((await app.request('/api/me', {}, env)).headers.get('www-authenticate')).toBe('Bearer realm="worker-api"');
    const other = await app.request('/api/me', bearer(await entra.mint({ audience: crypto.randomUUID() })), env);
    expect(other.status).toBe(401);
    expect(other.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('keeps one verifier per isolate: the key set is fetched once across requests', async () => {
    const fake = await createFakeEntra();
    const app = createWorkerApi({ fetch: fake.fetch });
    const bindings = { TENANT_ID: fake.tenantId, CLIENT_ID: fake.api.appId };
    for (let i = 0; i < 5; i++) expect((await app.request('/api/me', bearer(await fake.mint()), bindings)).status).toBe(200);
    expect(fake.requests.count('keys')).toBe(1);
  });

  it('answers 500 without detail when a binding is missing, and tells the operator which', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const app = createWorkerApi({ fetch: entra.fetch });
    const response = await app.request('/api/me', bearer(await entra.mint()), { TENANT_ID: entra.tenantId } as WorkerBindings);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'server_error', error_description: 'The API is not configured.' });
    expect(String(logged.mock.calls[0]?.[0])).toMatch(/worker-api is misconfigured: .*clientId|audience/);
  });
});
