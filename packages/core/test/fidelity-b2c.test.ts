// Azure AD B2C and Microsoft Entra External ID through discovery (`authority`) mode.
//
// The testkit does not serve B2C paths yet, so this file builds the B2C authority itself around the
// fake's signing keys, with the shapes Microsoft documents (Azure AD B2C token overview,
// https://learn.microsoft.com/azure/active-directory-b2c/tokens-overview):
// - metadata: https://{tenant}.b2clogin.com/{tenant}.onmicrosoft.com/{policy}/v2.0/.well-known/openid-configuration
//   ("Validate signature": one metadata document per policy, naming jwks_uri);
// - key set: https://{tenant}.b2clogin.com/{tenant}.onmicrosoft.com/{policy}/discovery/v2.0/keys;
// - issuer: https://{tenant}.b2clogin.com/{B2C tenant GUID}/v2.0/ (the "Claims" table; the default
//   of "Compatibility > Issuer (iss) claim"), or https://<domain>/tfp/{tenant GUID}/{policy}/v2.0/;
// - access token claims: iss, aud (the API's application id), sub, tfp (or acr on policies set to
//   it), scp, azp, ver "1.0", auth_time, iat, nbf, exp; no tid.
// The lead will switch this to the testkit's B2C fake when it exists.
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { backends, rejection, verifierFactory } from './support/backends.js';

const B2C_HOST = 'https://contoso.b2clogin.com';
const B2C_TENANT = '775527ff-9a37-4307-8b3d-cc311f58d925';

interface B2cPolicy {
  name: string;
  /** The issuer form the policy is set to write. */
  issuer: string;
}

/** A fetch handler for a B2C tenant: one metadata document and key set per policy. */
function b2cAuthority(entra: FakeEntra, policies: B2cPolicy[]) {
  const requests: string[] = [];
  const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
  const fetch = async (input: RequestInfo | URL): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    requests.push(url.pathname);
    for (const policy of policies) {
      const base = `${B2C_HOST}/contoso.onmicrosoft.com/${policy.name.toLowerCase()}`;
      if (`${url.origin}${url.pathname}`.toLowerCase() === `${base}/v2.0/.well-known/openid-configuration`) {
        return json({
          issuer: policy.issuer,
          authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
          token_endpoint: `${base}/oauth2/v2.0/token`,
          end_session_endpoint: `${base}/oauth2/v2.0/logout`,
          jwks_uri: `${base}/discovery/v2.0/keys`,
          response_modes_supported: ['query', 'fragment', 'form_post'],
          response_types_supported: ['code', 'code id_token', 'code token', 'code id_token token', 'id_token', 'id_token token', 'token', 'token id_token'],
          scopes_supported: ['openid'],
          subject_types_supported: ['pairwise'],
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
          claims_supported: ['name', 'sub', 'idp', 'tfp', 'iss', 'iat', 'exp', 'aud', 'acr', 'nonce', 'auth_time'],
        });
      }
      if (`${url.origin}${url.pathname}`.toLowerCase() === `${base}/discovery/v2.0/keys`) {
        // B2C keys carry kid, nbf, use, kty, e, n: no issuer member, no x5c.
        return json({ keys: entra.keys.published.map((key) => ({ kid: key.kid, nbf: 1493763266, use: 'sig', kty: 'RSA', e: key.jwk.e, n: key.jwk.n })) });
      }
    }
    return new Response('{"error":"not found"}', { status: 404 });
  };
  return { fetch, requests };
}

const authorityOf = (policy: string) => `${B2C_HOST}/contoso.onmicrosoft.com/${policy}/v2.0`;
const defaultIssuer = `${B2C_HOST}/${B2C_TENANT}/v2.0/`;

let entra: FakeEntra;
beforeAll(async () => {
  entra = await createFakeEntra();
});

/** A B2C access token as the token overview lists its claims: no tid, ver "1.0", tfp or acr. */
function mintB2c(overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return entra.mint({
    audience: entra.api.appId,
    scopes: ['Data.Read'],
    claims: {
      iss: defaultIssuer,
      tid: undefined,
      oid: undefined,
      aio: undefined,
      rh: undefined,
      uti: undefined,
      azpacr: undefined,
      preferred_username: undefined,
      name: undefined,
      ver: '1.0',
      tfp: 'B2C_1_susi',
      auth_time: now,
      ...overrides,
    },
  });
}

describe.each(backends)('Azure AD B2C through authority (%s)', (_name, backend) => {
  const create = verifierFactory(backend);
  const b2c = () =>
    b2cAuthority(entra, [
      { name: 'B2C_1_susi', issuer: defaultIssuer },
      { name: 'B2C_1A_signup_signin', issuer: defaultIssuer },
      { name: 'B2C_1_tfp', issuer: `${B2C_HOST}/tfp/${B2C_TENANT}/b2c_1_tfp/v2.0/` },
    ]);

  it('verifies a user flow token without tid and reports the user flow and tenant', async () => {
    const { fetch } = b2c();
    const verifier = create({ tenant: B2C_TENANT, audience: entra.api.appId, authority: authorityOf('B2C_1_susi'), fetch });
    const auth = await verifier.verify(await mintB2c(), { scopes: ['Data.Read'] });
    expect(auth.tenantId).toBe(B2C_TENANT);
    expect(auth.userFlow).toBe('B2C_1_susi');
    expect(auth.claims.ver).toBe('1.0');
    // A B2C token is not a v1 Entra token: it comes from the v2.0 endpoint with v2 claim names.
    expect(auth.tokenVersion).toBe(2);
    expect(auth.principal.clientAppId).toBe(entra.clientApp.clientId);
  });

  it('verifies a custom policy token that names its policy in acr', async () => {
    const { fetch } = b2c();
    const verifier = create({ tenant: B2C_TENANT, audience: entra.api.appId, authority: authorityOf('B2C_1A_signup_signin'), fetch });
    const auth = await verifier.verify(await mintB2c({ tfp: undefined, acr: 'b2c_1a_signup_signin' }));
    expect(auth.userFlow).toBe('b2c_1a_signup_signin');
  });

  it('verifies the tfp issuer form, whose tenant follows /tfp/', async () => {
    const { fetch } = b2c();
    const verifier = create({ tenant: B2C_TENANT, audience: entra.api.appId, authority: authorityOf('B2C_1_tfp'), fetch });
    const auth = await verifier.verify(await mintB2c({ iss: `${B2C_HOST}/tfp/${B2C_TENANT}/b2c_1_tfp/v2.0/`, tfp: 'B2C_1_tfp' }));
    expect(auth.tenantId).toBe(B2C_TENANT);
  });

  it('accepts a tid that agrees with the issuer, and refuses one that does not', async () => {
    const { fetch } = b2c();
    const verifier = create({ tenant: B2C_TENANT, audience: entra.api.appId, authority: authorityOf('B2C_1_susi'), fetch });
    await verifier.verify(await mintB2c({ tid: B2C_TENANT }));
    const error = await rejection(verifier.verify(await mintB2c({ tid: crypto.randomUUID() })));
    expect(error.code).toBe('issuer_mismatch');
    expect(error.hint).toContain(`names tenant ${B2C_TENANT}`);
  });

  it('matches the issuer exactly: the trailing slash, the host and the tenant all count', async () => {
    const { fetch } = b2c();
    const verifier = create({ tenant: B2C_TENANT, audience: entra.api.appId, authority: authorityOf('B2C_1_susi'), fetch });
    for (const iss of [`${B2C_HOST}/${B2C_TENANT}/v2.0`, `https://evil.b2clogin.com/${B2C_TENANT}/v2.0/`, `${B2C_HOST}/${crypto.randomUUID()}/v2.0/`]) {
      const error = await rejection(verifier.verify(await mintB2c({ iss })));
      expect(error.code).toBe('issuer_mismatch');
    }
  });

  it('keeps the tenant policy sound: a B2C authority is one tenant', async () => {
    const { fetch } = b2c();
    const other = crypto.randomUUID();
    const single = create({ tenant: other, audience: entra.api.appId, authority: authorityOf('B2C_1_susi'), fetch });
    const error = await rejection(single.verify(await mintB2c()));
    expect(error.code).toBe('tenant_not_allowed');
    expect(error.hint).toContain(`Set tenant: "${B2C_TENANT}"`);

    const allowList = create({ tenant: 'common', allowedTenants: [other], audience: entra.api.appId, authority: authorityOf('B2C_1_susi'), fetch });
    expect((await rejection(allowList.verify(await mintB2c()))).code).toBe('tenant_not_allowed');
    const allowed = create({ tenant: 'common', allowedTenants: [B2C_TENANT], audience: entra.api.appId, authority: authorityOf('B2C_1_susi'), fetch });
    expect((await allowed.verify(await mintB2c())).tenantId).toBe(B2C_TENANT);
  });

  it('without authority, a token without tid says to use the user flow as authority', async () => {
    const verifier = create({ tenant: entra.tenantId, audience: entra.api.appId, fetch: entra.fetch });
    const error = await rejection(verifier.verify(await mintB2c()));
    expect(error.code).toBe('missing_claim');
    expect(error.hint).toContain('verify them in discovery mode, with authority set to the user flow');
  });

  it('names the policy authorize endpoint as the claims challenge authorization_uri', async () => {
    const { fetch } = b2c();
    const verifier = create({ tenant: B2C_TENANT, audience: entra.api.appId, authority: authorityOf('B2C_1_susi'), fetch });
    await verifier.verify(await mintB2c());
    expect(verifier.authorizationUri).toBe(`${B2C_HOST}/contoso.onmicrosoft.com/b2c_1_susi/oauth2/v2.0/authorize`);
  });
});

describe.each(backends)('Microsoft Entra External ID through authority (%s)', (_name, backend) => {
  const create = verifierFactory(backend);

  it('verifies a ciamlogin.com token (tid present, v2 issuer from the metadata)', async () => {
    const ciam = await createFakeEntra({ authorityHost: 'https://contoso.ciamlogin.com' });
    const verifier = create({ tenant: ciam.tenantId, clientId: ciam.api.appId, authority: `https://contoso.ciamlogin.com/${ciam.tenantId}/v2.0`, fetch: ciam.fetch });
    const auth = await verifier.verify(await ciam.mint());
    expect(auth.tenantId).toBe(ciam.tenantId);
    expect(auth.tokenVersion).toBe(2);
    expect(auth.userFlow).toBeUndefined();
    // A token of another tenant under the same host is refused by the exact issuer match.
    const error = await rejection(verifier.verify(await ciam.mint({ tenantId: crypto.randomUUID() })));
    expect(['issuer_mismatch', 'tenant_not_allowed', 'signing_key_issuer_mismatch']).toContain(error.code);
  });
});
