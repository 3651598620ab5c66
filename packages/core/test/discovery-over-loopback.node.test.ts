// Discovery mode over a real socket: the authority metadata and the key set it points to are served
// by the fake's listen() on 127.0.0.1 (Node only; discovery-mode.test.ts runs on every runtime).
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, verifierFactory } from './support/backends.js';

let entra: FakeEntra;
let server: { url: string; close(): Promise<void> };
beforeAll(async () => {
  entra = await createFakeEntra({ authorityHost: 'https://contoso.ciamlogin.com' });
  server = await entra.listen();
});
afterAll(() => server.close());

describe.each(backends)('discovery mode over loopback HTTP (%s)', (_name, backend) => {
  it('takes issuer and jwks_uri from the authority metadata and fetches the keys over HTTP', async () => {
    const verifier = verifierFactory(backend)({ tenant: entra.tenantId, clientId: entra.api.appId, authority: `${server.url}/${entra.tenantId}/v2.0` });
    const before = entra.requests.count('keys');
    const auth = await verifier.verify(await entra.mint());
    expect(auth.claims.iss).toBe(`https://contoso.ciamlogin.com/${entra.tenantId}/v2.0`);
    expect(entra.requests.count('keys')).toBe(before + 1);
  });
});
