// User story 6: one API, many customer tenants. Tokens from every Entra tenant are signed with
// the same keys, so the tenant policy is what keeps strangers out: an allow-list, or a callback
// that asks your customer database (it runs on every request, cached tokens included).
import { entraAuth, requireScopes, type EntraAuthMiddlewareOptions } from '@entra-verify/express';
import express, { type Express } from 'express';

export function createSaasApi(auth: EntraAuthMiddlewareOptions): Express {
  const app = express();
  app.use(entraAuth({ realm: 'saas-api', ...auth }));
  app.get('/whoami', requireScopes('Saas.Use'), (req, res) => {
    res.json({ tenantId: req.auth!.tenantId, user: req.auth!.principal.username ?? null });
  });
  return app;
}

/** Customers onboard and offboard at run time; the callback form of allowedTenants sees it at once. */
export class CustomerDirectory {
  private readonly tenants = new Set<string>();
  onboard(tenantId: string): void {
    this.tenants.add(tenantId.toLowerCase());
  }
  offboard(tenantId: string): void {
    this.tenants.delete(tenantId.toLowerCase());
  }
  readonly isCustomer = async (tenantId: string): Promise<boolean> => this.tenants.has(tenantId);
}
