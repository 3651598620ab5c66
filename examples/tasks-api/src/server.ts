// `npm start`: the tasks API on PORT (default 3002); a real tenant when TENANT_ID is set, else the fake.
import { listenOnLoopback, startEntraEnvironment } from '@entra-verify/example-support';
import { createServer } from 'node:http';
import { createTasksApi } from './app.js';

const environment = await startEntraEnvironment({ api: { scopes: ['Tasks.ReadWrite'] } });
const app = createTasksApi({ auth: environment.verifier, ...(process.env.CORS_ORIGIN ? { corsOrigin: process.env.CORS_ORIGIN } : {}) });
const server = await listenOnLoopback(createServer(app.callback()), Number(process.env.PORT ?? 3002));
console.log(`Tasks API on ${server.url} (${environment.kind === 'real' ? `tenant ${environment.verifier.tenant}` : 'fake Entra ID'})`);
if (environment.kind === 'fake') {
  const token = await environment.entra.mint({ scopes: ['Tasks.ReadWrite'] });
  console.log('\nTry it (token valid for an hour):');
  console.log(`  curl -i ${server.url}/api/me -H "Authorization: Bearer ${token}"`);
  console.log(`  curl -i ${server.url}/api/tasks -H "Authorization: Bearer ${token}" -H "content-type: application/json" -d '{"title":"Write the report"}'`);
}
process.once('SIGINT', () => void server.close().then(() => environment.close()));
