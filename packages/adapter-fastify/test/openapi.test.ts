// OpenAPI from the guards themselves: @fastify/swagger documents the security the plugin enforces,
// and Swagger UI serves it. (Swagger UI's "Authorize" sign-in against the fake Entra in a browser
// waits for the fake's authorization endpoint.)
import { createEntraOpenApi } from '@entra-verify/core';
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { entraAuth, requireAuth, requireScopes } from '../src/index.js';

let entra: FakeEntra;
beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read', 'Data.Write'], appRoles: ['Data.Read.All', 'Admin'] }], clientApps: [{ appPermissions: ['Data.Read.All'] }] });
});

async function documentedApp(authRequired = true) {
  const openapi = createEntraOpenApi({
    tenant: entra.tenantId,
    clientId: entra.api.appId,
    scopes: { 'Data.Read': 'Read your data', 'Data.Write': 'Change your data' },
    clientCredentials: true,
  });
  const app = Fastify();
  await app.register(swagger, { openapi: { openapi: '3.1.0', info: { title: 'Data API', version: '1.0.0' }, components: { securitySchemes: openapi.securitySchemes } } });
  await app.register(swaggerUi, { routePrefix: '/docs', initOAuth: { clientId: '<spa-client-id>', usePkceWithAuthorizationCodeGrant: true } });
  await app.register(async (api) => {
    await api.register(entraAuth, { tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, openapi, authRequired });
    api.get('/data', { preHandler: requireScopes('Data.Read') }, async () => ({ ok: true }));
    api.post('/data', { config: { entra: { scopes: ['Data.Write'] } } }, async () => ({ ok: true }));
    api.get('/reports', { preHandler: requireAuth({ scopes: ['Data.Read'], appPermissions: ['Data.Read.All'] }) }, async () => ({ ok: true }));
    api.get('/either', { preHandler: requireAuth({ scopes: ['Data.Read', 'Data.Write'], match: 'any' }) }, async () => ({ ok: true }));
    api.get('/admin', { preHandler: requireAuth({ roles: ['Admin'] }) }, async () => ({ ok: true }));
    api.get('/me', async () => ({ ok: true }));
  });
  await app.ready();
  return { app, openapi };
}

describe('OpenAPI with @fastify/swagger', () => {
  it('documents the Entra scheme: authorization code with PKCE against the tenant, full scope names', async () => {
    const { app } = await documentedApp();
    const spec = app.swagger() as { openapi: string; components: { securitySchemes: Record<string, unknown> } };
    expect(spec.openapi).toBe('3.1.0');
    expect(spec.components.securitySchemes).toEqual({
      entra: {
        type: 'oauth2',
        description: expect.stringContaining('Microsoft Entra ID') as unknown,
        flows: {
          authorizationCode: {
            authorizationUrl: `https://login.microsoftonline.com/${entra.tenantId}/oauth2/v2.0/authorize`,
            tokenUrl: `https://login.microsoftonline.com/${entra.tenantId}/oauth2/v2.0/token`,
            scopes: { [`api://${entra.api.appId}/Data.Read`]: 'Read your data', [`api://${entra.api.appId}/Data.Write`]: 'Change your data' },
          },
          clientCredentials: {
            tokenUrl: `https://login.microsoftonline.com/${entra.tenantId}/oauth2/v2.0/token`,
            scopes: { [`api://${entra.api.appId}/.default`]: expect.any(String) as unknown },
          },
        },
      },
    });
  });

  it('gives every route the security its guard enforces', async () => {
    const { app } = await documentedApp();
    const paths = (app.swagger() as unknown as { paths: Record<string, Record<string, Record<string, unknown>>> }).paths;
    const api = `api://${entra.api.appId}`;
    expect(paths['/data']!.get!.security).toEqual([{ entra: [`${api}/Data.Read`] }]);
    expect(paths['/data']!.post!.security).toEqual([{ entra: [`${api}/Data.Write`] }]);
    expect(paths['/reports']!.get!.security).toEqual([{ entra: [`${api}/Data.Read`] }, { entra: [`${api}/.default`] }]);
    expect(paths['/reports']!.get!['x-entra-app-permissions']).toEqual(['Data.Read.All']);
    expect(paths['/either']!.get!.security).toEqual([{ entra: [`${api}/Data.Read`] }, { entra: [`${api}/Data.Write`] }]);
    expect(paths['/admin']!.get!.security).toEqual([{ entra: [] }]);
    expect(paths['/admin']!.get!['x-entra-roles']).toEqual(['Admin']);
    expect(paths['/me']!.get!.security).toEqual([{ entra: [] }]);
    // The docs routes are outside the plugin's context: public, no security.
    expect(paths['/docs/json']).toBeUndefined();
  });

  it('marks unguarded routes optional when anonymous requests pass', async () => {
    const { app } = await documentedApp(false);
    const paths = (app.swagger() as unknown as { paths: Record<string, Record<string, Record<string, unknown>>> }).paths;
    expect(paths['/me']!.get!.security).toEqual([{}, { entra: [] }]);
    expect(paths['/data']!.get!.security).toEqual([{ entra: [`api://${entra.api.appId}/Data.Read`] }]);
  });

  it('serves Swagger UI and the spec without a token, and the routes stay enforced', async () => {
    const { app } = await documentedApp();
    const ui = await app.inject({ url: '/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger');
    const initializer = await app.inject({ url: '/docs/static/swagger-initializer.js' });
    expect(initializer.body).toContain('usePkceWithAuthorizationCodeGrant');
    const json = await app.inject({ url: '/docs/json' });
    expect(json.statusCode).toBe(200);
    expect((json.json() as { components: { securitySchemes: object } }).components.securitySchemes).toHaveProperty('entra');
    expect((await app.inject({ url: '/data' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/data', headers: { authorization: `Bearer ${await entra.mint({ scopes: ['Data.Read'] })}` } })).statusCode).toBe(200);
  });

  it('refuses at start-up a route whose scope the docs do not describe', async () => {
    const openapi = createEntraOpenApi({ tenant: entra.tenantId, clientId: entra.api.appId, scopes: { 'Data.Read': 'Read' } });
    const app = Fastify();
    await app.register(entraAuth, { tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, openapi });
    expect(() => app.get('/x', { preHandler: requireScopes('Data.Write') }, async () => 'x')).toThrow(/does not describe/);
    await app.close();
  });
});
