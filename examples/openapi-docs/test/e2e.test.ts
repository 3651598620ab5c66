// Both APIs document exactly what they enforce: the OpenAPI security of each route comes from
// the requirement object its guard checks, against the fake Entra ID.
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFastifyApi } from '../src/fastify-app.js';
import { createHonoApi } from '../src/hono-app.js';
import { openApiFor } from '../src/requirements.js';

type Spec = { components: { securitySchemes: Record<string, { flows: { authorizationCode: { authorizationUrl: string; scopes: Record<string, string> } } }> }; paths: Record<string, Record<string, { security: unknown }>> };

let entra: FakeEntra;
let verifier: { tenant: string; clientId: string; fetch: typeof fetch };
beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read', 'Data.Write'], appRoles: ['Data.Read.All'] }], clientApps: [{ appPermissions: ['Data.Read.All'] }] });
  verifier = { tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch };
});

const api = () => `api://${entra.api.appId}`;
const expectedSecurity = () => ({
  get: [{ entra: [`${api()}/Data.Read`] }, { entra: [`${api()}/.default`] }],
  post: [{ entra: [`${api()}/Data.Write`] }],
});

describe('Fastify with @fastify/swagger and Swagger UI', () => {
  it('documents and enforces the same requirements', async () => {
    const app = await createFastifyApi(verifier, openApiFor(verifier), 'spa-client');
    const spec = (await app.inject({ url: '/docs/json' })).json() as Spec;
    expect(spec.components.securitySchemes.entra!.flows.authorizationCode.scopes).toEqual({ [`${api()}/Data.Read`]: 'Read the entries', [`${api()}/Data.Write`]: 'Add entries' });
    expect(spec.paths['/api/entries']!.get!.security).toEqual(expectedSecurity().get);
    expect(spec.paths['/api/entries']!.post!.security).toEqual(expectedSecurity().post);
    expect((await app.inject({ url: '/docs/' })).statusCode).toBe(200);

    const reader = { authorization: `Bearer ${await entra.mint({ scopes: ['Data.Read'] })}` };
    const daemon = { authorization: `Bearer ${await entra.mint({ appOnly: true })}` };
    expect((await app.inject({ url: '/api/entries' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/entries', headers: reader })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/entries', headers: daemon })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/entries', headers: reader, payload: { text: 'hi' } })).statusCode).toBe(403);
    const writer = { authorization: `Bearer ${await entra.mint({ scopes: ['Data.Write'] })}` };
    expect((await app.inject({ method: 'POST', url: '/api/entries', headers: writer, payload: { text: 'hi' } })).statusCode).toBe(201);
    await app.close();
  });
});

describe('Hono with @hono/zod-openapi', () => {
  it('documents and enforces the same requirements', async () => {
    const app = createHonoApi(verifier, openApiFor(verifier));
    const spec = (await (await app.request('/doc')).json()) as Spec;
    expect(spec.components.securitySchemes.entra!.flows.authorizationCode.authorizationUrl).toBe(`https://login.microsoftonline.com/${entra.tenantId}/oauth2/v2.0/authorize`);
    expect(spec.paths['/api/entries']!.get!.security).toEqual(expectedSecurity().get);
    expect(spec.paths['/api/entries']!.post!.security).toEqual(expectedSecurity().post);

    const reader = { authorization: `Bearer ${await entra.mint({ scopes: ['Data.Read'] })}` };
    const writer = { authorization: `Bearer ${await entra.mint({ scopes: ['Data.Write'] })}`, 'content-type': 'application/json' };
    expect((await app.request('/api/entries')).status).toBe(401);
    expect((await app.request('/api/entries', { headers: reader })).status).toBe(200);
    expect((await app.request('/api/entries', { method: 'POST', headers: { ...reader, 'content-type': 'application/json' }, body: '{"text":"hi"}' })).status).toBe(403);
    const created = await app.request('/api/entries', { method: 'POST', headers: writer, body: '{"text":"hi"}' });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ text: 'hi', author: entra.user.objectId });
  });
});
