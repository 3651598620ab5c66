import { listenOnLoopback, type RunningServer } from '@entra-verify/example-support';
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSaasApi } from '../src/app.js';
import { startSaasEnvironment, type SaasEnvironment } from '../src/environment.js';

let environment: SaasEnvironment;
let server: RunningServer;
beforeAll(async () => {
  environment = await startSaasEnvironment({});
  server = await listenOnLoopback(createServer(createSaasApi(environment.verifier)));
});
afterAll(async () => {
  await server.close();
  await environment.close();
});

const call = (path: string, token: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) } });

describe('SaaS API: employees, customers and a partner\'s daemon from one verifier', () => {
  it('serves each kind of caller on its own routes', async () => {
    const { workforce, customers, partnerTenantId, partnerAppId } = environment.fake!;
    const employee = await workforce.mint();
    const me = await call('/me', employee);
    expect(await me.json()).toMatchObject({ authority: 'employees', type: 'user', guest: false });
    expect((await call('/back-office/orders', employee)).status).toBe(200);
    expect((await call('/back-office/reports', employee)).status).toBe(200);

    const customer = await customers.mint({ claims: { loyalty_tier: 'gold' } });
    expect(await (await call('/me', customer)).json()).toMatchObject({ authority: 'customers' });
    expect((await call('/shop/orders', customer)).status).toBe(200);

    const daemon = await workforce.mint({ tenantId: partnerTenantId, appOnly: true, roles: ['Shipments.Write'], claims: { azp: partnerAppId } });
    const shipped = await call('/partner/shipments', daemon, { method: 'POST', headers: { 'x-shipment-batch': 'B-7' } });
    expect(shipped.status).toBe(202);
    expect(await shipped.json()).toEqual({ accepted: 'B-7', partnerApp: partnerAppId });
  });

  it('keeps every caller on its own side', async () => {
    const { workforce, customers, partnerTenantId, partnerAppId } = environment.fake!;
    const employee = await workforce.mint();
    const customer = await customers.mint({ claims: { loyalty_tier: 'gold' } });
    const daemon = await workforce.mint({ tenantId: partnerTenantId, appOnly: true, roles: ['Shipments.Write'], claims: { azp: partnerAppId } });
    const refusal = async (response: Response) => ({ status: response.status, challenge: response.headers.get('www-authenticate'), body: await response.json() });
    // An employee at the shop, a customer in the back office: 403, wrong authority.
    expect(await refusal(await call('/shop/orders', employee))).toMatchObject({ status: 403, body: { error: 'insufficient_scope', error_description: 'Tokens from this authority cannot call this operation.' } });
    expect((await call('/back-office/orders', customer)).status).toBe(403);
    // A customer without the loyalty tier claim.
    expect(await refusal(await call('/shop/orders', await customers.mint()))).toMatchObject({ status: 403, body: { error_description: 'The token lacks a claim this operation requires.' } });
    // A guest employee, and a daemon in the back office.
    expect((await call('/back-office/orders', await workforce.mint({ claims: { acct: 1 } }))).status).toBe(403);
    expect((await call('/back-office/reports', daemon)).status).toBe(403);
    // The partner's daemon without the batch header (the route's own check), or another app of the partner's tenant.
    expect(await refusal(await call('/partner/shipments', daemon, { method: 'POST' }))).toMatchObject({ status: 403, body: { error_description: 'Send the shipment batch id in X-Shipment-Batch.' } });
    const stranger = await workforce.mint({ tenantId: partnerTenantId, appOnly: true, roles: ['Shipments.Write'], claims: { azp: crypto.randomUUID() } });
    expect((await call('/partner/shipments', stranger, { method: 'POST', headers: { 'x-shipment-batch': 'B-8' } })).status).toBe(401);
    // A tenant that is neither ours nor the partner's.
    const outsider = await refusal(await call('/me', await workforce.mint({ tenantId: crypto.randomUUID() })));
    expect(outsider.status).toBe(401);
    expect(outsider.challenge).toContain('error="invalid_token"');
  });
});
