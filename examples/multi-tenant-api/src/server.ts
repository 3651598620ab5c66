// `npm start`: the SaaS API on PORT (default 3004). Without TENANT_ID the fake Entra ID hosts two
// tenants and only the first is onboarded.
import { listenOnLoopback, startEntraEnvironment } from '@entra-verify/example-support';
import { createServer } from 'node:http';
import { createSaasApi } from './app.js';

const environment = await startEntraEnvironment({ api: { scopes: ['Saas.Use'] }, tenants: 2 });
const auth =
  environment.kind === 'fake'
    ? { ...environment.verifier, tenant: 'organizations', allowedTenants: [environment.entra.tenants[0]!.id] }
    : environment.verifier;
const server = await listenOnLoopback(createServer(createSaasApi(auth)), Number(process.env.PORT ?? 3004));
console.log(`SaaS API on ${server.url}`);
if (environment.kind === 'fake') {
  const [customer, stranger] = environment.entra.tenants;
  console.log('\nTry it (tokens valid for an hour):');
  console.log(`  curl -i ${server.url}/whoami -H "Authorization: Bearer ${await environment.entra.mint({ tenantId: customer!.id })}"   # onboarded`);
  console.log(`  curl -i ${server.url}/whoami -H "Authorization: Bearer ${await environment.entra.mint({ tenantId: stranger!.id })}"   # not onboarded`);
}
process.once('SIGINT', () => void server.close().then(() => environment.close()));
