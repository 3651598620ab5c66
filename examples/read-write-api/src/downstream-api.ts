// The downstream API of the on-behalf-of example: it knows nothing of the middle tier and verifies
// the token it gets with @entra-verify/core alone, like any API would.
import { createEntraVerifier, extractBearerToken, toHttpError, type EntraVerifierOptions } from '@entra-verify/core';
import { Hono } from 'hono';

export function createDownstreamApi(options: EntraVerifierOptions): Hono {
  const verifier = createEntraVerifier(options);
  const app = new Hono();
  app.get('/caller', async (c) => {
    try {
      const token = extractBearerToken(c.req.header('authorization'));
      const auth = await verifier.verify(token, { scopes: ['caller.read'] });
      const { principal, scopes, tenantId } = auth;
      return c.json({ objectId: principal.objectId, name: principal.name ?? null, username: principal.username ?? null, clientAppId: principal.clientAppId, tenantId, scopes });
    } catch (error) {
      const answer = toHttpError(error, { realm: 'downstream-api' });
      return c.json(answer.body, answer.status as 400, answer.headers);
    }
  });
  return app;
}
