// `npm start`: the SaaS API on PORT (default 3005), against fake tenants unless EMPLOYEES_TENANT_ID is set.
import { listenOnLoopback } from '@entra-verify/example-support';
import { createServer } from 'node:http';
import { createSaasApi } from './app.js';
import { startSaasEnvironment } from './environment.js';

const environment = await startSaasEnvironment();
const server = await listenOnLoopback(createServer(createSaasApi(environment.verifier)), Number(process.env.PORT ?? 3005));
console.log(`SaaS API on ${server.url} (authorities: ${environment.verifier.authorities.map((a) => a.name).join(', ')})`);
if (environment.fake) {
  const { workforce, customers, partnerTenantId, partnerAppId } = environment.fake;
  const employee = await workforce.mint();
  const customer = await customers.mint({ claims: { loyalty_tier: 'gold' } });
  const daemon = await workforce.mint({ tenantId: partnerTenantId, appOnly: true, roles: ['Shipments.Write'], claims: { azp: partnerAppId } });
  console.log('\nTry it (tokens valid for an hour):');
  console.log(`  curl -i ${server.url}/back-office/orders -H "Authorization: Bearer ${employee}"`);
  console.log(`  curl -i ${server.url}/shop/orders -H "Authorization: Bearer ${customer}"`);
  console.log(`  curl -i ${server.url}/shop/orders -H "Authorization: Bearer ${employee}"   # 403: an employee is not a customer`);
  console.log(`  curl -i -X POST ${server.url}/partner/shipments -H "X-Shipment-Batch: B-7" -H "Authorization: Bearer ${daemon}"`);
}
process.once('SIGINT', () => void server.close().then(() => environment.close()));
