// Hono with @hono/zod-openapi: each route's `security` is spread from the same requirement object
// its guard enforces; GET /doc serves the OpenAPI 3.1 document.
import type { AuthRequirement, EntraOpenApi, EntraVerifierOptions } from '@entra-verify/core';
import { entraAuth, requireAuth, type EntraAuthVariables } from '@entra-verify/hono';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { readData, writeData } from './requirements.js';

const Entry = z.object({ text: z.string(), author: z.string() });

export function createHonoApi(verifier: EntraVerifierOptions, openapi: EntraOpenApi) {
  const entries: Array<z.infer<typeof Entry>> = [];
  const app = new OpenAPIHono<{ Variables: EntraAuthVariables }>();
  app.openAPIRegistry.registerComponent('securitySchemes', openapi.schemeName, openapi.securitySchemes[openapi.schemeName]!);
  app.use('/api/*', entraAuth({ ...verifier, realm: 'entries-api' }));

  /** The guard and the docs of one route, from one requirement. */
  const guarded = (requirement: AuthRequirement) => ({ middleware: [requireAuth(requirement)], ...openapi.operationSecurity(requirement) });

  const list = createRoute({ method: 'get', path: '/api/entries', summary: 'List the entries', ...guarded(readData), responses: { 200: { description: 'The entries', content: { 'application/json': { schema: z.object({ entries: z.array(Entry) }) } } } } });
  app.openapi(list, (c) => c.json({ entries }, 200));

  const add = createRoute({
    method: 'post',
    path: '/api/entries',
    summary: 'Add an entry',
    ...guarded(writeData),
    request: { body: { content: { 'application/json': { schema: z.object({ text: z.string().min(1).max(500) }) } } } },
    responses: { 201: { description: 'The new entry', content: { 'application/json': { schema: Entry } } } },
  });
  app.openapi(add, (c) => {
    const entry = { text: c.req.valid('json').text, author: c.get('auth').principal.objectId ?? 'unknown' };
    entries.push(entry);
    return c.json(entry, 201);
  });

  app.doc31('/doc', { openapi: '3.1.0', info: { title: 'Entries API (Hono)', version: '1.0.0' } });
  return app;
}
