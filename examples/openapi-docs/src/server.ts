// `npm start`: the Fastify API (with Swagger UI at /docs) on PORT (default 3005) and the Hono API
// (OpenAPI at /doc) on PORT + 1; a real tenant when TENANT_ID is set, else the fake Entra ID.
import { startEntraEnvironment } from '@entra-verify/example-support';
import { serve } from '@hono/node-server';
import { createFastifyApi } from './fastify-app.js';
import { createHonoApi } from './hono-app.js';
import { openApiFor, scopes } from './requirements.js';

const environment = await startEntraEnvironment({ api: { scopes: Object.keys(scopes), appRoles: ['Data.Read.All'] } });
const port = Number(process.env.PORT ?? 3005);
const openapi = openApiFor(environment.verifier);
const fastify = await createFastifyApi(environment.verifier, openapi, process.env.SPA_CLIENT_ID ?? '<spa-client-id>');
await fastify.listen({ port, host: '127.0.0.1' });
const hono = serve({ fetch: createHonoApi(environment.verifier, openapi).fetch, port: port + 1, hostname: '127.0.0.1' });
console.log(`Fastify API with Swagger UI: http://127.0.0.1:${port}/docs`);
console.log(`Hono API, OpenAPI document:  http://127.0.0.1:${port + 1}/doc`);
if (environment.kind === 'fake') {
  const token = await environment.entra.mint({ scopes: ['Data.Read', 'Data.Write'] });
  console.log(`\nA token from the fake Entra ID, for curl:\n  curl -i http://127.0.0.1:${port}/api/entries -H "Authorization: Bearer ${token}"`);
  console.log('To sign in from Swagger UI against the fake instead: npm run docs:serve -w @entra-verify/example-openapi-docs');
}
process.once('SIGINT', () => {
  hono.close();
  void fastify.close().then(() => environment.close());
});
