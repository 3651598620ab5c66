import { listenOnLoopback, startFakeEntraEnvironment, type EntraEnvironment, type RunningServer } from '@entra-verify/example-support';
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadWriteApi } from '../src/app.js';

let environment: Extract<EntraEnvironment, { kind: 'fake' }>;
let api: RunningServer;
beforeAll(async () => {
  environment = await startFakeEntraEnvironment({ api: { scopes: ['data.read', 'data.write'] } });
  api = await listenOnLoopback(createAdaptorServer({ fetch: createReadWriteApi(environment.verifier).fetch }) as Server);
});
afterAll(async () => {
  await api.close();
  await environment.close();
});

const call = (path: string, token: string | undefined, body?: unknown) =>
  fetch(`${api.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });

describe('Read/write API (user story 2)', () => {
  it('reads with data.read and refuses writes without data.write (403, scope="data.write")', async () => {
    const reader = await environment.entra.mint({ scopes: ['data.read'] });
    expect((await call('/data/read', reader)).status).toBe(200);
    const refused = await call('/data/write', reader, { text: 'hello' });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toContain('scope="data.write"');
  });

  it('writes with data.write and reads the entry back', async () => {
    const writer = await environment.entra.mint({ scopes: ['data.read', 'data.write'] });
    const created = await call('/data/write', writer, { text: 'hello' });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ text: 'hello', author: environment.entra.user.objectId });
    const { entries } = (await (await call('/data/read', writer)).json()) as { entries: unknown[] };
    expect(entries).toContainEqual(expect.objectContaining({ text: 'hello' }));
  });

  it('refuses a writer without data.read on the read route, and anonymous callers on both', async () => {
    const writeOnly = await environment.entra.mint({ scopes: ['data.write'] });
    expect((await call('/data/read', writeOnly)).status).toBe(403);
    expect((await call('/data/read', undefined)).status).toBe(401);
    expect((await call('/data/write', undefined, { text: 'x' })).status).toBe(401);
  });

  it('answers 400 for a body that is not {"text": "..."}', async () => {
    const writer = await environment.entra.mint({ scopes: ['data.write'] });
    for (const body of ['not json', { text: '' }, { text: 42 }, { text: 'x'.repeat(501) }]) {
      expect((await call('/data/write', writer, body)).status).toBe(400);
    }
  });

  it('scope names are exact: Data.Read is not data.read', async () => {
    const wrongCase = await environment.entra.mint({ scopes: ['data.read'], claims: { scp: 'Data.Read' } });
    expect((await call('/data/read', wrongCase)).status).toBe(403);
  });
});
