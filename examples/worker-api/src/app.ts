// A Hono API for Cloudflare Workers. The tenant and the API's client id arrive as bindings (vars in
// wrangler.jsonc), so they are read on the first request; the verifier is then kept for the life of
// the isolate, because its key cache is what makes the next requests cheap.
import { entraAuth, requireScopes, type EntraAuthMiddlewareOptions, type EntraAuthVariables } from '@entra-verify/hono';
import { Hono, type MiddlewareHandler } from 'hono';

export interface WorkerBindings {
  /** Directory (tenant) id of the API's tenant. */
  TENANT_ID: string;
  /** Application (client) id of the API's app registration: the `aud` its tokens carry. */
  CLIENT_ID: string;
}

type Env = { Bindings: WorkerBindings; Variables: EntraAuthVariables };

/** `overrides` is for tests (the testkit's `fetch`); a deployed Worker passes nothing. */
export function createWorkerApi(overrides: Partial<EntraAuthMiddlewareOptions> = {}): Hono<Env> {
  const app = new Hono<Env>();
  let auth: MiddlewareHandler | undefined;

  app.use('/api/*', async (c, next) => {
    if (!auth) {
      try {
        auth = entraAuth({ tenant: c.env.TENANT_ID, clientId: c.env.CLIENT_ID, realm: 'worker-api', ...overrides });
      } catch (error) {
        // A missing or malformed binding: the message says which and what to set. Clients learn
        // nothing about the configuration.
        console.error(`worker-api is misconfigured: ${error instanceof Error ? error.message : String(error)}`);
        return c.json({ error: 'server_error', error_description: 'The API is not configured.' }, 500);
      }
    }
    return auth(c, next);
  });

  app.get('/api/me', (c) => {
    const { principal, tenantId, scopes } = c.get('auth');
    return c.json({ objectId: principal.objectId, type: principal.type, tenantId, scopes });
  });

  app.get('/api/reports', requireScopes('Reports.Read'), (c) =>
    c.json({ reports: [{ id: 1, title: 'Quarterly usage', owner: c.get('auth').principal.objectId }] }),
  );

  app.get('/', (c) => c.text('worker-api: send a bearer token to /api/me\n'));
  return app;
}
