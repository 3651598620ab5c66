// `npm start`: the API on PORT (default 3001); a real tenant when TENANT_ID is set, else the fake.
import { startEntraEnvironment } from '@entra-verify/example-support';
import { serve } from '@hono/node-server';
import { createReadWriteApi } from './app.js';

const environment = await startEntraEnvironment({ api: { scopes: ['data.read', 'data.write'] } });
const port = Number(process.env.PORT ?? 3001);
const server = serve({ fetch: createReadWriteApi(environment.verifier).fetch, port, hostname: '127.0.0.1' });
console.log(`Read/write API on http://127.0.0.1:${port} (${environment.kind === 'real' ? `tenant ${environment.verifier.tenant}` : 'fake Entra ID'})`);
if (environment.kind === 'fake') {
  const reader = await environment.entra.mint({ scopes: ['data.read'] });
  const writer = await environment.entra.mint({ scopes: ['data.read', 'data.write'] });
  console.log('\nTry it (tokens valid for an hour):');
  console.log(`  curl -i http://127.0.0.1:${port}/data/write -H "Authorization: Bearer ${reader}" -H "content-type: application/json" -d '{"text":"hi"}'`);
  console.log(`  curl -i http://127.0.0.1:${port}/data/write -H "Authorization: Bearer ${writer}" -H "content-type: application/json" -d '{"text":"hi"}'`);
  console.log(`  curl -i http://127.0.0.1:${port}/data/read -H "Authorization: Bearer ${reader}"`);
}
process.once('SIGINT', () => server.close(() => void environment.close()));
