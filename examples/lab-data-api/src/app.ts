// The Lab API: GET /data returns the caller's claims to users with Data.Read and to daemons
// holding the Data.Read.All app permission. Everything else about tokens is entraAuth's job.
import { entraAuth, requireAuth, type EntraAuthMiddlewareOptions, type VerifiedAccessToken } from '@entra-verify/express';
import express, { type Express } from 'express';

export function describeCaller(auth: VerifiedAccessToken) {
  return {
    type: auth.principal.type,
    name: auth.principal.name ?? null,
    username: auth.principal.username ?? null,
    objectId: auth.principal.objectId,
    tenantId: auth.tenantId,
    clientAppId: auth.principal.clientAppId,
    tokenVersion: auth.tokenVersion,
    scopes: auth.scopes,
    roles: auth.roles,
  };
}

export function createLabApi(auth: EntraAuthMiddlewareOptions): Express {
  const app = express();
  app.get('/health', (_req, res) => res.json({ status: 'ok' }));
  app.use(entraAuth({ realm: 'lab-data-api', ...auth }));
  app.get('/data', requireAuth({ scopes: ['Data.Read'], appPermissions: ['Data.Read.All'] }), (req, res) => {
    res.json({ message: 'Hello from the Lab API', caller: describeCaller(req.auth!) });
  });
  return app;
}
