// listen() serves the fake over a node:http server on 127.0.0.1: Node only, so it sits outside the
// portable suites that `npm run test:runtimes` runs on Bun, Deno and workerd.
import { beforeAll, describe, expect, it } from 'vitest';
import { createFakeEntra, type FakeEntra } from '../src/index.js';
import { decodePayload } from './support/verify-with-jose.js';

let entra: FakeEntra;
const host = 'https://login.microsoftonline.com';
beforeAll(async () => {
  entra = await createFakeEntra();
});

describe('listen()', () => {
  it('serves the same documents over HTTP on 127.0.0.1 and points endpoints back at itself', async () => {
    const server = await entra.listen();
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const doc = (await (await fetch(`${server.url}/${entra.tenantId}/v2.0/.well-known/openid-configuration`)).json()) as Record<string, string>;
      expect(doc.issuer).toBe(`${host}/${entra.tenantId}/v2.0`);
      expect(doc.jwks_uri).toBe(`${server.url}/${entra.tenantId}/discovery/v2.0/keys`);
      const keys = (await (await fetch(doc.jwks_uri!)).json()) as { keys: unknown[] };
      expect(keys.keys).toHaveLength(1);
      const token = await fetch(`${server.url}/${entra.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: entra.clientApp.clientId, client_secret: entra.clientApp.clientSecret!, scope: `${entra.api.identifierUri}/.default` }),
      });
      expect(token.status).toBe(200);
      const { access_token } = (await token.json()) as { access_token: string };
      expect(decodePayload(access_token).idtyp).toBe('app');
      // server.fetch keeps the production URL but goes over the loopback socket
      const before = entra.requests.count('keys');
      const viaLoopback = await server.fetch(`${host}/${entra.tenantId}/discovery/v2.0/keys`);
      expect(viaLoopback.status).toBe(200);
      expect(entra.requests.count('keys')).toBe(before + 1);
    } finally {
      await server.close();
    }
  });
});
