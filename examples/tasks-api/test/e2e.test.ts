import { listenOnLoopback, startFakeEntraEnvironment, type EntraEnvironment, type RunningServer } from '@entra-verify/example-support';
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTasksApi } from '../src/app.js';

let environment: Extract<EntraEnvironment, { kind: 'fake' }>;
let api: RunningServer;
let alice: string;
let bob: string;
beforeAll(async () => {
  environment = await startFakeEntraEnvironment({ api: { scopes: ['Tasks.ReadWrite'] } });
  api = await listenOnLoopback(createServer(createTasksApi({ auth: environment.verifier }).callback()));
  alice = await environment.entra.mint({ user: { objectId: crypto.randomUUID(), name: 'Alice' } });
  bob = await environment.entra.mint({ user: { objectId: crypto.randomUUID(), name: 'Bob' } });
});
afterAll(async () => {
  await api.close();
  await environment.close();
});

async function call(method: string, path: string, token: string | undefined, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

describe('Tasks API (user story 3)', () => {
  it('GET /api/me returns the profile from the token', async () => {
    const me = await call('GET', '/api/me', alice);
    expect(me).toMatchObject({ status: 200, body: { name: 'Alice', tenantId: environment.entra.tenantId, scopes: ['Tasks.ReadWrite'] } });
  });

  it('creates, lists, updates and deletes a task', async () => {
    const created = await call('POST', '/api/tasks', alice, { title: 'Write the report' });
    expect(created).toMatchObject({ status: 201, body: { title: 'Write the report', done: false } });
    const id = created.body!.id as string;
    expect((await call('GET', '/api/tasks', alice)).body!.tasks).toContainEqual(expect.objectContaining({ id }));
    expect(await call('PATCH', `/api/tasks/${id}`, alice, { done: true })).toMatchObject({ status: 200, body: { id, done: true } });
    expect((await call('GET', `/api/tasks/${id}`, alice)).body).toMatchObject({ done: true });
    expect((await call('DELETE', `/api/tasks/${id}`, alice)).status).toBe(204);
    expect((await call('GET', `/api/tasks/${id}`, alice)).status).toBe(404);
  });

  it("isolates users by oid: Bob can neither see nor change Alice's tasks", async () => {
    const { body } = await call('POST', '/api/tasks', alice, { title: "Alice's secret" });
    const id = body!.id as string;
    expect((await call('GET', '/api/tasks', bob)).body!.tasks).toEqual([]);
    expect((await call('GET', `/api/tasks/${id}`, bob)).status).toBe(404);
    expect((await call('PATCH', `/api/tasks/${id}`, bob, { title: 'pwned' })).status).toBe(404);
    expect((await call('DELETE', `/api/tasks/${id}`, bob)).status).toBe(404);
    expect((await call('GET', `/api/tasks/${id}`, alice)).body).toMatchObject({ title: "Alice's secret" });
  });

  it('answers 400 on bad input, 404 on unknown routes, 405 on wrong methods', async () => {
    for (const body of [{}, { title: '' }, { title: 'x'.repeat(201) }, { title: 'ok', owner: 'someone' }, '[1]', '{bad json']) {
      expect((await call('POST', '/api/tasks', alice, body)).status, JSON.stringify(body)).toBe(400);
    }
    const { body } = await call('POST', '/api/tasks', alice, { title: 'ok' });
    expect((await call('PATCH', `/api/tasks/${String(body!.id)}`, alice, { done: 'yes' })).status).toBe(400);
    expect((await call('PATCH', `/api/tasks/${String(body!.id)}`, alice, {})).status).toBe(400);
    expect((await call('POST', '/api/tasks', alice, 'title=x', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await call('POST', '/api/tasks', alice, { title: 'x'.repeat(20_000) })).status).toBe(413);
    expect((await call('GET', '/api/nope', alice)).status).toBe(404);
    expect((await call('PUT', '/api/tasks', alice)).status).toBe(405);
  });

  it('requires a token with Tasks.ReadWrite', async () => {
    expect((await call('GET', '/api/tasks', undefined)).status).toBe(401);
    expect((await call('GET', '/api/tasks', await environment.entra.mint({ scopes: ['Other'] }))).status).toBe(403);
    expect((await call('GET', '/api/tasks', await environment.entra.mint({ appOnly: true, roles: ['Anything'] }))).status).toBe(403);
  });

  it('answers CORS preflights from http://localhost:3000 without a token, and exposes challenges', async () => {
    const preflight = await call('OPTIONS', '/api/tasks', undefined, undefined, { origin: 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
    const refused = await call('GET', '/api/tasks', undefined, undefined, { origin: 'http://localhost:3000' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(refused.headers.get('access-control-expose-headers')).toContain('WWW-Authenticate');
    const other = await call('OPTIONS', '/api/tasks', undefined, undefined, { origin: 'https://evil.example', 'access-control-request-method': 'POST' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
