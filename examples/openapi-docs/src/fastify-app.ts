// Fastify with @fastify/swagger and Swagger UI: the plugin gives every route the OpenAPI
// `security` its guard enforces. /docs is public; /api/* needs a token.
import { entraAuth, requireAuth, type EntraOpenApi } from '@entra-verify/fastify';
import type { EntraVerifierOptions } from '@entra-verify/core';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { readData, writeData } from './requirements.js';

export async function createFastifyApi(verifier: EntraVerifierOptions, openapi: EntraOpenApi, spaClientId: string): Promise<FastifyInstance> {
  const entries: Array<{ text: string; author: string }> = [];
  const app = Fastify();
  await app.register(swagger, {
    openapi: { openapi: '3.1.0', info: { title: 'Entries API (Fastify)', version: '1.0.0' }, components: { securitySchemes: openapi.securitySchemes } },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', initOAuth: { clientId: spaClientId, usePkceWithAuthorizationCodeGrant: true, scopes: [openapi.fullScope('Data.Read')] } });
  await app.register(
    async (api) => {
      await api.register(entraAuth, { ...verifier, realm: 'entries-api', openapi });
      api.get('/entries', { preHandler: requireAuth(readData), schema: { summary: 'List the entries' } }, async () => ({ entries }));
      api.post('/entries', { config: { entra: writeData }, schema: { summary: 'Add an entry', body: { type: 'object', required: ['text'], properties: { text: { type: 'string', minLength: 1, maxLength: 500 } } } } }, async (request, reply) => {
        const entry = { text: (request.body as { text: string }).text, author: request.auth!.principal.objectId ?? 'unknown' };
        entries.push(entry);
        return reply.code(201).send(entry);
      });
    },
    { prefix: '/api' },
  );
  await app.ready();
  return app;
}
