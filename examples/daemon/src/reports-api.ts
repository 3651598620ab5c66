// The API the daemon calls. GET /reports is open to users with the delegated scope Reports.Read
// and to apps holding the Reports.Read.All app permission (appPermissions); POST /reports/rebuild
// is for apps holding Reports.Rebuild only.
import { entraAuth, requireAuth, type EntraAuthMiddlewareOptions } from '@entra-verify/express';
import express, { type Express } from 'express';

export function createReportsApi(auth: EntraAuthMiddlewareOptions): Express {
  const app = express();
  app.use(entraAuth({ realm: 'reports-api', ...auth }));
  app.get('/reports', requireAuth({ scopes: ['Reports.Read'], appPermissions: ['Reports.Read.All'] }), (req, res) => {
    res.json({ reports: [{ id: 1, name: 'Quarterly usage' }], caller: { type: req.auth!.principal.type, clientAppId: req.auth!.principal.clientAppId } });
  });
  app.post('/reports/rebuild', requireAuth({ appPermissions: ['Reports.Rebuild'] }), (req, res) => {
    res.status(202).json({ rebuilding: true, requestedBy: req.auth!.principal.clientAppId });
  });
  return app;
}
