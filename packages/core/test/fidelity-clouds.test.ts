// Every built-in cloud: its v2 (and, where Microsoft names one, v1) issuers verify, and tokens of
// other clouds are refused with a hint that names their cloud. Hosts as in MSAL's shipped authority
// metadata (msal-common src/authority/AuthorityMetadata.ts); see src/clouds.ts for the sources.
//
// Until the testkit knows China's v2 issuer host (login.partner.microsoftonline.cn) and the
// sovereign clouds, the China tokens get their iss from a claims override, and the fake's key set
// is rewritten to bind its keys to that issuer, as MSAL's metadata says Entra does.
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { describe, expect, it } from 'vitest';
import { CLOUDS, type CloudName } from '../src/clouds.js';
import { createEntraVerifier } from '../src/index.js';
import { backends, rejection, verifierFactory } from './support/backends.js';

type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** The fake's fetch, with every key-set body passed through `rewrite`. */
function rewritingKeys(fetch: Fetch, rewrite: (body: string) => string): Fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const url = input instanceof Request ? input.url : String(input);
    if (!url.includes('/discovery/')) return response;
    return new Response(rewrite(await response.text()), { status: response.status, headers: response.headers });
  };
}

const replaceAll = (from: string, to: string) => (body: string) => body.split(from).join(to);

async function fakeFor(name: CloudName): Promise<{ entra: FakeEntra; fetch: Fetch; v2Iss: (tid: string) => string }> {
  const cloud = CLOUDS[name];
  const entra = await createFakeEntra({ authorityHost: cloud.authorityHost, ...(cloud.v1IssuerHost ? { v1IssuerHost: cloud.v1IssuerHost } : {}) });
  const fakeV2 = entra.issuer(2).replace(`/${entra.tenantId}/v2.0`, '');
  const fetch = fakeV2 === cloud.v2IssuerHost ? entra.fetch : rewritingKeys(entra.fetch, replaceAll(`${fakeV2}/`, `${cloud.v2IssuerHost}/`));
  return { entra, fetch, v2Iss: (tid) => `${cloud.v2IssuerHost}/${tid}/v2.0` };
}

const names = Object.keys(CLOUDS) as CloudName[];

describe.each(backends)('clouds (%s)', (_name, backend) => {
  const create = verifierFactory(backend);

  describe.each(names)('cloud: %s', (name) => {
    const cloud = CLOUDS[name];

    it('verifies a v2 token with the issuer from Microsoft\'s metadata', async () => {
      const { entra, fetch, v2Iss } = await fakeFor(name);
      const verifier = create({ tenant: entra.tenantId, clientId: entra.api.appId, cloud: name, fetch });
      const auth = await verifier.verify(await entra.mint({ version: 2, claims: { iss: v2Iss(entra.tenantId) } }));
      expect(auth.tokenVersion).toBe(2);
      expect(auth.claims.iss).toBe(`${cloud.v2IssuerHost}/${entra.tenantId}/v2.0`);
    });

    if (cloud.v1IssuerHost !== undefined) {
      it(`verifies a v1 token from ${cloud.v1IssuerHost}`, async () => {
        const { entra, fetch } = await fakeFor(name);
        const verifier = create({ tenant: entra.tenantId, clientId: entra.api.appId, cloud: name, fetch });
        const auth = await verifier.verify(await entra.mint({ version: 1 }));
        expect(auth.tokenVersion).toBe(1);
        expect(auth.claims.iss).toBe(`${cloud.v1IssuerHost}/${entra.tenantId}/`);
      });
    } else {
      it('refuses v1 tokens: Microsoft names no v1 issuer for this cloud', async () => {
        const { entra, fetch } = await fakeFor(name);
        const verifier = create({ tenant: entra.tenantId, clientId: entra.api.appId, cloud: name, fetch });
        const error = await rejection(verifier.verify(await entra.mint({ version: 1, claims: { iss: `${cloud.authorityHost}/${entra.tenantId}/` } })));
        // The key's issuer binding (v2 only) or the issuer rule refuses it, with the same advice.
        expect(['signing_key_issuer_mismatch', 'issuer_mismatch']).toContain(error.code);
        expect(error.hint).toContain('Microsoft names no v1 issuer for this cloud');
      });
    }

    it('refuses the v2 issuer of every other cloud, naming that cloud', async () => {
      const { entra, fetch } = await fakeFor(name);
      // Keys without an issuer member (as the v1 key endpoint serves them), so the issuer rule speaks.
      const unbound = rewritingKeys(fetch, (body) => JSON.stringify({ keys: (JSON.parse(body) as { keys: Array<Record<string, unknown>> }).keys.map(({ issuer: _issuer, ...key }) => key) }));
      const verifier = create({ tenant: entra.tenantId, clientId: entra.api.appId, cloud: name, fetch: unbound });
      for (const other of names) {
        const otherHost = CLOUDS[other].v2IssuerHost;
        if (otherHost === cloud.v2IssuerHost) continue;
        const error = await rejection(verifier.verify(await entra.mint({ version: 2, claims: { iss: `${otherHost}/${entra.tenantId}/v2.0` } })));
        expect(error.code).toBe('issuer_mismatch');
        expect(error.hint).toContain(`set cloud: '${other}'`);
      }
    });

    it('refuses a token bound by its key to another issuer host', async () => {
      const { entra, fetch } = await fakeFor(name);
      const verifier = create({ tenant: entra.tenantId, clientId: entra.api.appId, cloud: name, fetch });
      const other = name === 'public' ? CLOUDS.usgov : CLOUDS.public;
      const error = await rejection(verifier.verify(await entra.mint({ version: 2, claims: { iss: `${other.v2IssuerHost}/${entra.tenantId}/v2.0` } })));
      expect(error.code).toBe('signing_key_issuer_mismatch');
    });
  });

  it('a v1 token of the public cloud names both clouds that share sts.windows.net when refused elsewhere', async () => {
    const { entra, fetch } = await fakeFor('china');
    const unbound = rewritingKeys(fetch, (body) => body.replace(/"issuer":"[^"]*",?/g, ''));
    const verifier = create({ tenant: entra.tenantId, clientId: entra.api.appId, cloud: 'china', fetch: unbound });
    const error = await rejection(verifier.verify(await entra.mint({ version: 1, claims: { iss: `https://sts.windows.net/${entra.tenantId}/` } })));
    expect(error.code).toBe('issuer_mismatch');
    expect(error.hint).toContain("set cloud: 'public' or 'usgov'");
  });

  it('GovSG reads keys from /common, as MSAL\'s metadata publishes them', async () => {
    const { entra, fetch } = await fakeFor('govsg');
    const urls: string[] = [];
    const logged: Fetch = (input, init) => {
      urls.push(input instanceof Request ? input.url : String(input));
      return fetch(input, init);
    };
    await create({ tenant: entra.tenantId, clientId: entra.api.appId, cloud: 'govsg', fetch: logged }).verify(await entra.mint());
    expect(urls).toEqual(['https://login.sovcloud-identity.sg/common/discovery/v2.0/keys']);
  });

  it('a custom cloud on a built-in authority host takes that cloud\'s issuer hosts', async () => {
    const { entra, fetch, v2Iss } = await fakeFor('china');
    const verifier = create({ tenant: entra.tenantId, clientId: entra.api.appId, cloud: { authorityHost: 'https://login.chinacloudapi.cn' }, fetch });
    await verifier.verify(await entra.mint({ version: 2, claims: { iss: v2Iss(entra.tenantId) } }));
    await verifier.verify(await entra.mint({ version: 1 }));
  });

  it('a custom cloud names its own v2 issuer host', async () => {
    const entra = await createFakeEntra({ authorityHost: 'https://login.example.test' });
    const fetch = rewritingKeys(entra.fetch, replaceAll('https://login.example.test/', 'https://issuer.example.test/'));
    const verifier = create({ tenant: entra.tenantId, clientId: entra.api.appId, cloud: { authorityHost: 'https://login.example.test', v2IssuerHost: 'https://issuer.example.test' }, fetch });
    await verifier.verify(await entra.mint({ claims: { iss: `https://issuer.example.test/${entra.tenantId}/v2.0` } }));
  });
});

describe('cloud option', () => {
  const base = { tenant: crypto.randomUUID(), audience: 'api://x' };
  it.each(['bleu', 'delos', 'govsg', 'public', 'usgov', 'china'] as const)('accepts "%s"', (cloud) => {
    expect(() => createEntraVerifier({ ...base, cloud })).not.toThrow();
  });
  it('refuses unknown names, including inherited property names, and lists every cloud', () => {
    for (const cloud of ['germany', 'toString', '__proto__']) {
      expect(() => createEntraVerifier({ ...base, cloud: cloud as CloudName })).toThrow(/"public", "usgov", "china", "bleu", "delos", "govsg"/);
    }
  });
});
