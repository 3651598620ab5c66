// One API, three kinds of callers, each from its own authority:
// - employees of the company (the workforce tenant): the back office;
// - customers (an External ID tenant, or an Azure AD B2C user flow): the shop;
// - a partner's daemon (client credentials from the partner's own tenant): shipments.
// One verifier holds the three authorities; the token's issuer picks one, and only that
// authority's rules and keys judge the token. Each route then says whose tokens it takes.
import { entraAuth, requireAuth, type AuthRequirement, type EntraAuthMiddlewareOptions } from '@entra-verify/express';
import { refuse } from '@entra-verify/core';
import express, { type Express } from 'express';

/** The requirement of every route, by name: what the README's table shows. */
export const routes = {
  /** Employees reading orders: their delegated scope, members only (no B2B guests). */
  employeeOrders: { authority: 'employees', scopes: ['Orders.Read'], guests: 'refuse' },
  /** The back office's reports: an app role of the workforce tenant, for people only. */
  reports: { authority: 'employees', roles: ['Orders.Admin'], callers: 'users' },
  /** A customer's own orders: the shop's scope, and a loyalty tier claim (a custom attribute). */
  customerOrders: { authority: 'customers', scopes: ['Orders.Read'], requiredClaims: [{ name: 'loyalty_tier', values: ['gold', 'silver'], match: 'any' }] },
  /** The partner's daemon posting shipments: app-only, with the app role granted to it. */
  shipments: {
    authority: 'partner',
    callers: 'apps',
    roles: ['Shipments.Write'],
    // The API's own rule: shipments are only taken on weekdays' business hours, say. Here: a per-request header the partner must send.
    check: (_auth, request) => {
      const headers = (request as { headers?: Record<string, unknown> } | undefined)?.headers;
      if (!headers?.['x-shipment-batch']) throw refuse('batch_required', 'Send the shipment batch id in X-Shipment-Batch.', 'The partner daemon called without X-Shipment-Batch.');
    },
  },
} satisfies Record<string, AuthRequirement>;

export function createSaasApi(auth: EntraAuthMiddlewareOptions): Express {
  const app = express();
  app.use(entraAuth({ realm: 'saas-api', ...auth }));
  // Any authority: who is calling, as the verifier saw it.
  app.get('/me', requireAuth(), (req, res) => {
    const { authority, principal, tenantId, scopes, roles } = req.auth!;
    res.json({ authority, tenantId, type: principal.type, guest: principal.guest, name: principal.name ?? null, scopes, roles });
  });
  app.get('/back-office/orders', requireAuth(routes.employeeOrders), (req, res) => res.json({ orders: ['#1001', '#1002'], for: req.auth!.principal.username ?? null }));
  app.get('/back-office/reports', requireAuth(routes.reports), (_req, res) => res.json({ revenue: 125_000 }));
  app.get('/shop/orders', requireAuth(routes.customerOrders), (req, res) => res.json({ orders: ['#2001'], customer: req.auth!.principal.objectId }));
  app.post('/partner/shipments', requireAuth(routes.shipments), (req, res) => res.status(202).json({ accepted: req.get('x-shipment-batch'), partnerApp: req.auth!.principal.clientAppId }));
  return app;
}
