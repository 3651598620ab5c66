// `npm start`: nginx (or Caddy with PROXY=caddy) on a free loopback port in front of BACKEND, with
// Entra forward-auth deciding. Without TENANT_ID it runs against the fake Entra ID and starts the
// echo backend itself.
import { listenOnLoopback, startEntraEnvironment } from '@entra-verify/example-support';
import { createEchoBackend } from './echo-backend.js';
import { startGateway } from './gateway.js';

const environment = await startEntraEnvironment({ api: { scopes: ['Orders.Read', 'Orders.Write'] }, clientApps: [{ displayName: 'Allowed client' }, { displayName: 'Other client' }] });
const echo = process.env.BACKEND ? undefined : await listenOnLoopback(createEchoBackend().server);
const backend = process.env.BACKEND ?? new URL(echo!.url).host;
const proxy = process.env.PROXY === 'caddy' ? 'caddy' : 'nginx';
const env =
  environment.kind === 'fake'
    ? { TENANT_ID: environment.entra.tenantId, API_CLIENT_ID: environment.entra.api.appId, ALLOWED_CLIENT_APP: environment.entra.clientApp.clientId }
    : process.env;
const gateway = await startGateway({
  proxy,
  backend,
  env,
  log: (line) => console.log(`forward-auth: ${line}`),
  ...(environment.kind === 'fake' ? { fetch: environment.server.fetch } : {}),
});
console.log(`${proxy} on ${gateway.url} → ${backend}; forward-auth on ${gateway.forwardAuthUrl}`);
if (environment.kind === 'fake') {
  const { entra } = environment;
  const allowed = await entra.mint();
  const readOnly = await entra.mint({ scopes: ['Orders.Read'] });
  const other = await entra.mint({ clientAppId: entra.clientApps[1]!.clientId });
  console.log('\nTry it (tokens valid for an hour):');
  console.log(`  curl -i ${gateway.url}/orders -H "Authorization: Bearer ${allowed}"`);
  console.log(`  curl -i -X POST ${gateway.url}/orders -H "Authorization: Bearer ${readOnly}"   # 403: no Orders.Write`);
  console.log(`  curl -i ${gateway.url}/orders -H "Authorization: Bearer ${other}"   # 401: client not allowed`);
  console.log(`  curl -i ${gateway.url}/public/status   # public route, no token`);
}
const stop = () => void Promise.all([gateway.close(), echo?.close(), environment.close()]).then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
