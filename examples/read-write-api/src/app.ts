// User story 2: reading needs `data.read`, writing needs `data.write`. Entries are kept in memory.
import { entraAuth, requireScopes, type EntraAuthMiddlewareOptions, type EntraAuthVariables } from '@entra-verify/hono';
import { Hono } from 'hono';

interface Entry {
  id: number;
  text: string;
  author: string | undefined;
  at: string;
}

export function createReadWriteApi(auth: EntraAuthMiddlewareOptions): Hono<{ Variables: EntraAuthVariables }> {
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
  return app;
}
