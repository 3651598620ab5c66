// Certificate-bound tokens over real mutual TLS (Node only: @hono/node-server hands the socket over in env.incoming): the middleware reads the client certificate from
// the TLS socket and the token is accepted only with the certificate it is bound to.
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundTo, httpsGet, mutualTlsIdentities, mutualTlsServerOptions, type TlsIdentity } from '../../../test-support/mutual-tls.js';
import { entraAuth, type EntraAuthVariables } from '../src/index.js';

let entra: FakeEntra;
let identities: { client: TlsIdentity; other: TlsIdentity };
let url: string;
let close: () => void;

beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read'] }] });
  const { server, client, other } = await mutualTlsIdentities(entra);
  identities = { client, other };
  const app = new Hono<{ Variables: EntraAuthVariables }>();
  app.use('*', entraAuth({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch }));
  app.get('/me', (c) => c.json({ oid: c.get('auth').principal.objectId }));
  const listening = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1', createServer, serverOptions: mutualTlsServerOptions(server) });
  await new Promise<void>((resolve) => listening.once('listening', () => resolve()));
  url = `https://127.0.0.1:${(listening.address() as AddressInfo).port}/me`;
  close = () => listening.close();
});
afterAll(() => close());

describe('Hono (@hono/node-server) over mutual TLS', () => {
  it('accepts a bound token from the client holding its certificate', async () => {
    const token = await entra.mint({ claims: boundTo(identities.client) });
    expect((await httpsGet(url, token, identities.client)).status).toBe(200);
  });

  it('refuses the bound token with another client certificate, or with none', async () => {
    const token = await entra.mint({ claims: boundTo(identities.client) });
    const other = await httpsGet(url, token, identities.other);
    expect(other.status).toBe(401);
    expect(other.challenge).toContain('error="invalid_token"');
    expect(JSON.parse(other.body).error_description).toMatch(/different client certificate/);
    const none = await httpsGet(url, token);
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body).error_description).toMatch(/did not present/);
  });

  it('accepts plain bearer tokens with or without a client certificate', async () => {
    const token = await entra.mint();
    expect((await httpsGet(url, token)).status).toBe(200);
    expect((await httpsGet(url, token, identities.other)).status).toBe(200);
  });
});
