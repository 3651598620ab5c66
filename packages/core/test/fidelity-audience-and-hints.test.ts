// Audience with one trailing slash (Microsoft.IdentityModel's IgnoreTrailingSlashWhenValidatingAudience),
// hints that build their advice from the configured values, Graph and first-party tokens, ID tokens,
// and the claims challenge's authorization_uri (https://learn.microsoft.com/entra/identity-platform/claims-challenge).
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { sameAudience } from '../src/rules/check-audience.js';
import { authorize, createEntraVerifier, isGraphAudience, toHttpError, type VerifiedAccessToken } from '../src/index.js';
import { backends, rejection, verifierFactory } from './support/backends.js';

const HTTPS_URI = 'https://contoso.com/api';
let entra: FakeEntra;
beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{ identifierUri: HTTPS_URI }] });
});

describe.each(backends)('audience with one trailing slash (%s)', (_name, backend) => {
  const create = verifierFactory(backend);

  it('accepts aud "x/" for configured "x", and aud "x" for configured "x/"', async () => {
    await create({ tenant: entra.tenantId, audience: HTTPS_URI, fetch: entra.fetch }).verify(await entra.mint({ audience: `${HTTPS_URI}/` }));
    await create({ tenant: entra.tenantId, audience: `${HTTPS_URI}/`, fetch: entra.fetch }).verify(await entra.mint({ audience: HTTPS_URI }));
    await create({ tenant: entra.tenantId, audience: HTTPS_URI, fetch: entra.fetch }).verify(await entra.mint({ audience: ['https://other.example', `${HTTPS_URI}/`] as unknown as string }));
  });

  it('refuses two slashes and any difference of case', async () => {
    const verifier = create({ tenant: entra.tenantId, audience: HTTPS_URI, fetch: entra.fetch });
    for (const audience of [`${HTTPS_URI}//`, 'https://CONTOSO.com/api', `${HTTPS_URI.toUpperCase()}/`, 'https://contoso.com/ap', 'https://contoso.com/api/x']) {
      expect((await rejection(verifier.verify(await entra.mint({ audience })))).code).toBe('audience_mismatch');
    }
  });
});

describe('sameAudience', () => {
  it('is exactly "equal, or one trailing slash apart"', () => {
    expect(sameAudience('api://a', 'api://a/')).toBe(true);
    expect(sameAudience('api://a/', 'api://a')).toBe(true);
    expect(sameAudience('api://a', 'api://a')).toBe(true);
    expect(sameAudience('api://a', 'api://a//')).toBe(false);
    expect(sameAudience('api://ab', 'api://a/')).toBe(false);
    expect(sameAudience('api://a', 'api://ax')).toBe(false);
  });

  // Cost on hostile input is measured by the benchmark ("worst refused token"); tests assert no
  // timings. Here: long runs of "/" give the right answers.
  it('answers right on long runs of "/"', () => {
    const long = `${'/'.repeat(200_000)}x`;
    expect(sameAudience(long, `${long}/`)).toBe(true);
    expect(sameAudience(`${long}//`, long)).toBe(false);
    expect(sameAudience('/'.repeat(12_000), '/'.repeat(11_999))).toBe(true);
  });
});

describe('isGraphAudience', () => {
  it('ignores one trailing slash, not two', () => {
    expect(isGraphAudience('https://graph.microsoft.com/')).toBe(true);
    expect(isGraphAudience('https://graph.microsoft.com//')).toBe(false);
    expect(isGraphAudience('https://graph.svc.sovcloud.fr')).toBe(true);
  });

  it('is not fooled by 12,000 "/" followed by one other character', () => {
    expect(isGraphAudience(`${'/'.repeat(12_000)}x`)).toBe(false);
    expect(isGraphAudience(`https://graph.microsoft.com${'/'.repeat(12_000)}`)).toBe(false);
  });
});

describe.each(backends)('hints build advice from the configured values (%s)', (_name, backend) => {
  const create = verifierFactory(backend);

  it('an https App ID URI: the audience hint suggests "<uri>/<scope>", not api://https://…', async () => {
    const verifier = create({ tenant: entra.tenantId, audience: HTTPS_URI, fetch: entra.fetch });
    const error = await rejection(verifier.verify(await entra.mint({ audience: 'api://someone-else' })));
    expect(error.code).toBe('audience_mismatch');
    expect(error.hint).toContain('It must request a scope of this API ("https://contoso.com/api/<scope>")');
    expect(error.hint).not.toContain('api://https://');
  });

  it('a GUID-only configuration suggests the default api://<client id> URI with the id filled in', async () => {
    const verifier = create({ tenant: entra.tenantId, audience: entra.api.appId, fetch: entra.fetch });
    const error = await rejection(verifier.verify(await entra.mint({ audience: 'https://other.example' })));
    expect(error.hint).toContain(`("api://${entra.api.appId}/<scope>")`);
    expect(error.hint).not.toContain('<api-client-id>');
  });

  it('an ID token: named as one, with this API\'s own scope as the advice', async () => {
    const verifier = create({ tenant: entra.tenantId, audience: HTTPS_URI, fetch: entra.fetch });
    const error = await rejection(verifier.verify(await entra.mintIdToken()));
    expect(error.code).toBe('audience_mismatch');
    expect(error.hint).toContain('This looks like an ID token (it has a nonce claim): an ID token tells the client who signed in and is not an access token.');
    expect(error.hint).toContain('e.g. "https://contoso.com/api/<scope>"');
    expect(error.hint).not.toContain('<api-client-id>');
  });

  it('a Graph token: the scope advice uses the https App ID URI as it is', async () => {
    const verifier = create({ tenant: entra.tenantId, audience: [entra.api.appId, HTTPS_URI], fetch: entra.fetch });
    const error = await rejection(verifier.verify(await entra.mintGraphToken()));
    expect(error.code).toBe('graph_token');
    expect(error.hint).toContain('scopes: ["https://contoso.com/api/<scope>"] (or "https://contoso.com/api/.default" for client credentials)');
  });

  it('a first-party token with a nonce header but no Graph aud is not called a Graph token', async () => {
    const verifier = create({ tenant: entra.tenantId, audience: HTTPS_URI, fetch: entra.fetch });
    const token = await entra.mint({ audience: 'https://api.spaces.skype.com', header: { nonce: 'abc' } });
    const error = await rejection(verifier.verify(token));
    expect(error.code).toBe('graph_token');
    expect(error.description).toBe('The token is for a Microsoft API, not for this API.');
    expect(error.hint).toContain('has a "nonce" header: it is a token for Microsoft Graph or another Microsoft first-party API');
    expect(error.hint).not.toContain('Graph scopes');
  });

  it('a missing scope: authorize suggests the full scope under the token\'s own App ID URI', async () => {
    const verifier = create({ tenant: entra.tenantId, audience: HTTPS_URI, fetch: entra.fetch });
    const auth = await verifier.verify(await entra.mint({ audience: HTTPS_URI, scopes: ['Other'] }));
    let error: unknown;
    try {
      authorize(auth, { scopes: ['Data.Read'] });
    } catch (caught) {
      error = caught;
    }
    expect((error as Error & { hint: string }).hint).toContain('The client must request "https://contoso.com/api/Data.Read"');
    expect((error as Error & { hint: string }).hint).not.toContain('<api-client-id>');
  });

  it('an ID token that reaches authorize is named as an ID token', async () => {
    const verifier = create({ tenant: entra.tenantId, audience: entra.clientApp.clientId, fetch: entra.fetch, requireScopeOrRole: false });
    const auth = await verifier.verify(await entra.mintIdToken()).catch((error: Error & { code: string }) => error);
    // The lead's not_access_token rule may refuse it first; if it gets through, authorize names it.
    if ('code' in auth) return expect(['not_access_token', 'missing_claim', 'no_scope_or_role']).toContain(auth.code);
    const verified = auth as VerifiedAccessToken;
    expect(() => authorize(verified, { scopes: ['Data.Read'] })).toThrow();
    try {
      authorize(verified, { scopes: ['Data.Read'] });
    } catch (error) {
      expect((error as { hint: string }).hint).toContain('This is an ID token, not an access token');
    }
  });
});

describe('authorize on an ID token', () => {
  it('names it as an ID token when it lacks the scope or the role', () => {
    const auth = {
      claims: { aud: '11111111-1111-1111-1111-111111111111', iss: 'https://login.microsoftonline.com/t/v2.0', exp: 0, tid: 't', ver: '2.0', nonce: 'n', oid: 'o', sub: 's' },
      header: { alg: 'RS256' },
      tokenVersion: 2,
      tenantId: 't',
      principal: { type: 'user', objectId: 'o', clientAppId: undefined },
      scopes: [],
      roles: [],
    } as unknown as VerifiedAccessToken;
    for (const requirement of [{ scopes: ['Data.Read'] }, { roles: ['Admin'] }]) {
      let hint = '';
      try {
        authorize(auth, requirement);
      } catch (error) {
        hint = (error as { hint: string }).hint;
      }
      expect(hint).toContain('This is an ID token, not an access token');
    }
  });
});

describe.each(backends)('claims challenge authorization_uri (%s)', (_name, backend) => {
  const create = verifierFactory(backend);

  it('names the configured cloud and tenant, in the order of Microsoft\'s example', async () => {
    const verifier = create({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch });
    expect(verifier.authorizationUri).toBe(`https://login.microsoftonline.com/${entra.tenantId}/oauth2/authorize`);
    const error = await rejection(verifier.verify(await entra.mint(), { authContext: 'c1' }));
    expect(error.code).toBe('insufficient_claims');
    const response = toHttpError(error, { realm: '', authorizationUri: verifier.authorizationUri });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(new RegExp(`^Bearer realm="", authorization_uri="https://login\\.microsoftonline\\.com/${entra.tenantId}/oauth2/authorize", error="insufficient_claims", error_description="[^"]*", claims="[^"]+"$`));
  });

  it('uses common for a multi-tenant API, and the cloud\'s host', () => {
    expect(createEntraVerifier({ tenant: 'organizations', allowedTenants: ['*'], audience: 'api://x', cloud: 'usgov' }).authorizationUri).toBe('https://login.microsoftonline.us/common/oauth2/authorize');
  });

  it('is not added to other challenges', async () => {
    const verifier = create({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch });
    const error = await rejection(verifier.verify(await entra.mint({ scopes: ['Other'] }), { scopes: ['Data.Read'] }));
    expect(toHttpError(error, { authorizationUri: verifier.authorizationUri }).headers['www-authenticate']).not.toContain('authorization_uri');
  });
});
