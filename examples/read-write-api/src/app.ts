// User story 2: reading needs `data.read`, writing needs `data.write`. Entries are kept in memory.
// With `downstream`, GET /data/downstream calls another API for the same user (on-behalf-of).
import { extractBearerToken } from '@entra-verify/core';
import { entraAuth, requireScopes, type EntraAuthMiddlewareOptions, type EntraAuthVariables } from '@entra-verify/hono';
import { Hono } from 'hono';

interface Entry {
  id: number;
  text: string;
  author: string | undefined;
  at: string;
}

export interface DownstreamOptions {
  /** The downstream API's origin; it serves GET /caller. */
  url: string;
  /** The caller's token in, a token for the downstream API out (see onBehalfOf). */
  exchange(userToken: string): Promise<string>;
}

export function createReadWriteApi(auth: EntraAuthMiddlewareOptions, options: { downstream?: DownstreamOptions } = {}): Hono<{ Variables: EntraAuthVariables }> {
  const entries: Entry[] = [];
  const app = new Hono<{ Variables: EntraAuthVariables }>();
  app.use('/data/*', entraAuth({ realm: 'read-write-api', ...auth }));

  app.get('/data/read', requireScopes('data.read'), (c) => c.json({ entries }));

  app.post('/data/write', requireScopes('data.write'), async (c) => {
    const body: unknown = await c.req.json().catch(() => undefined);
    const text = (body as { text?: unknown } | undefined)?.text;
    if (typeof text !== 'string' || text.trim() === '' || text.length > 500) {
      return c.json({ error: 'invalid_body', error_description: 'Send JSON {"text": "..."} with 1 to 500 characters.' }, 400);
    }
    const entry: Entry = { id: entries.length + 1, text: text.trim(), author: c.get('auth').principal.objectId, at: new Date().toISOString() };
    entries.push(entry);
    return c.json(entry, 201);
  });
  const { downstream } = options;
  if (downstream) {
    app.get('/data/downstream', requireScopes('data.read'), async (c) => {
      const token = await downstream.exchange(extractBearerToken(c.req.header('authorization')));
      const response = await fetch(`${downstream.url}/caller`, { headers: { authorization: `Bearer ${token}` } });
      return c.json({ downstreamStatus: response.status, downstream: await response.json() }, response.ok ? 200 : 502);
    });
  }
  return app;
}
