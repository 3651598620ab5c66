// `npm start`: the Lab API on PORT (default 3000), against a real tenant when TENANT_ID is set,
// else against the fake Entra ID (then it prints tokens to try with curl).
import { listenOnLoopback, startEntraEnvironment } from '@entra-verify/example-support';
import { createServer } from 'node:http';
import { createLabApi } from './app.js';
import { labRegistration } from './registration.js';

const environment = await startEntraEnvironment(labRegistration);
const server = await listenOnLoopback(createServer(createLabApi(environment.verifier)), Number(process.env.PORT ?? 3000));
console.log(`Lab API listening on ${server.url} (${environment.kind === 'real' ? `tenant ${environment.verifier.tenant}` : 'fake Entra ID'})`);
if (environment.kind === 'fake') {
  const { entra } = environment;
  const withScope = await entra.mint({ scopes: ['Data.Read'] });
  const withoutScope = await entra.mint({ scopes: ['Data.Write'] });
  console.log('\nTry it (tokens from the fake Entra ID, valid for an hour):');
  console.log(`  curl -i ${server.url}/data`);
  console.log(`  curl -i ${server.url}/data -H "Authorization: Bearer ${withoutScope}"`);
  console.log(`  curl -i ${server.url}/data -H "Authorization: Bearer ${withScope}"`);
}
const stop = () => {
  void server.close().then(() => environment.close());
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
