// Certificate-bound tokens over real mutual TLS, for every adapter that runs on a Node server: the
// middleware reads the client certificate from the TLS socket and the token is accepted only with
// the certificate it is bound to. Each adapter's test calls describeMutualTls with how it serves.
import type { EntraAuthMiddlewareOptions } from '@entra-verify/core';
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { once } from 'node:events';
import type { ServerOptions } from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundTo, httpsGet, mutualTlsIdentities, mutualTlsServerOptions, type TlsIdentity } from './mutual-tls.js';

/**
 * The framework's app with entraAuth(options) in front of GET /me, served over node:https with
 * `tls` (which asks for a client certificate) on 127.0.0.1 at any port; returns that server,
 * listening or told to listen.
 */
export type ServeOverMutualTls = (options: EntraAuthMiddlewareOptions, tls: ServerOptions) => Server;

export function describeMutualTls(name: string, serve: ServeOverMutualTls): void {
  describe(`${name} over mutual TLS`, () => {
    let entra: FakeEntra;
    let identities: { client: TlsIdentity; other: TlsIdentity };
    let url: string;
    let server: Server | undefined;

    beforeAll(async () => {
      entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read'] }] });
      const { server: serverIdentity, client, other } = await mutualTlsIdentities(entra);
      identities = { client, other };
      server = serve({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch }, mutualTlsServerOptions(serverIdentity));
      if (!server.listening) await once(server, 'listening');
      url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/me`;
    });
    afterAll(() => void server?.close());

    // The binding holds: the certificate the token names, presented on the TLS socket, is enough.
    it('accepts a bound token from the client holding its certificate', async () => {
      const token = await entra.mint({ claims: boundTo(identities.client) });
      expect((await httpsGet(url, token, identities.client)).status).toBe(200);
    });

    // A stolen bound token is worthless without the private key of its certificate: another
    // certificate, or none, is a 401 that says which of the two it was.
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

    // Asking for a client certificate must not change anything for tokens that are not bound.
    it('accepts plain bearer tokens with or without a client certificate', async () => {
      const token = await entra.mint();
      expect((await httpsGet(url, token)).status).toBe(200);
      expect((await httpsGet(url, token, identities.other)).status).toBe(200);
    });
  });
}
