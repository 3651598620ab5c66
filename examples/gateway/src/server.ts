// `npm start`: the gateway on PORT (default 3003) in front of BACKEND_URL. Without TENANT_ID it
// runs against the fake Entra ID and starts the echo backend itself.
import { listenOnLoopback, startEntraEnvironment } from '@entra-verify/example-support';
import { serve } from '@hono/node-server';
import { createEchoBackend } from './echo-backend.js';
import { createGateway } from './gateway.js';

const environment = await startEntraEnvironment({ api: { scopes: ['Orders.Read'] }, clientApps: [{ displayName: 'Allowed client' }, { displayName: 'Other client' }] });
const backend = process.env.BACKEND_URL ? undefined : await listenOnLoopback(createEchoBackend().server);
const backendUrl = process.env.BACKEND_URL ?? backend!.url;
const auth =
  environment.kind === 'fake'
    ? { ...environment.verifier, allowedClientApps: [environment.entra.clientApp.clientId] }
    : environment.verifier;
const port = Number(process.env.PORT ?? 3003);
const server = serve({ fetch: createGateway({ auth, backendUrl }).fetch, port, hostname: '127.0.0.1' });
console.log(`Gateway on http://127.0.0.1:${port} → ${backendUrl}`);
if (environment.kind === 'fake') {
  const allowed = await environment.entra.mint();
  const other = await environment.entra.mint({ clientAppId: environment.entra.clientApps[1]!.clientId });
  console.log('\nTry it (tokens valid for an hour):');
  console.log(`  curl -i http://127.0.0.1:${port}/orders -H "Authorization: Bearer ${allowed}"`);
  console.log(`  curl -i http://127.0.0.1:${port}/orders -H "Authorization: Bearer ${other}"   # client not allowed`);
}
process.once('SIGINT', () => server.close(() => void Promise.all([backend?.close(), environment.close()])));
