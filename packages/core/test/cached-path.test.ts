// The adapters' synchronous path for repeated tokens (authenticateCached): it may only answer
// with a token verify() would accept right now, for a request verify() would take as it is, and
// must leave every other case (first sight, refusals, checks that wait, bound tokens, odd
// headers, query tokens) to authenticate().
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEntraVerifier, createRequestAuthenticator, requestAuthorization, singleAuthorization, type EntraAuthMiddlewareOptions } from '../src/index.js';
import { cachedVerification } from '../src/verifier/create-verifier.js';
import { eventRecorder, manualClock, rejection } from './support/backends.js';
import { fourAuthorities } from './support/many-authorities.js';

let entra: FakeEntra;
beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read'] }] });
});

/** An authenticator, and a token it has verified twice (so the result cache holds it). */
async function cachedToken(options: Partial<EntraAuthMiddlewareOptions> = {}, mint: Parameters<FakeEntra['mint']>[0] = {}) {
  const authenticator = createRequestAuthenticator({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, ...options } as EntraAuthMiddlewareOptions);
  const token = await entra.mint({ scopes: ['Data.Read'], ...mint });
  const header = `Bearer ${token}`;
  await authenticator.authenticate({ authorization: header });
  await authenticator.authenticate({ authorization: header });
  return { authenticator, token, header };
}

describe('the synchronous cache-hit path', () => {
  it('answers a plain Bearer header whose token is cached, with the same frozen result verify() gives', async () => {
    const { authenticator, token, header } = await cachedToken();
    const auth = authenticator.authenticateCached(header, '/data');
    expect(auth?.token).toBe(token);
    expect(Object.isFrozen(auth?.claims)).toBe(true);
    expect(auth).toBe(await authenticator.verifier.verify(token));
    // A fresh string with the same text (each request brings its own) is the same hit.
    expect(authenticator.authenticateCached(['Bearer ', token].join(''), undefined)).toBe(auth);
  });

  it('leaves a token to authenticate() until the cache admits it (its second verification)', async () => {
    const authenticator = createRequestAuthenticator({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch });
    const header = `Bearer ${await entra.mint({ scopes: ['Data.Read'] })}`;
    expect(authenticator.authenticateCached(header, '/')).toBeUndefined();
    await authenticator.authenticate({ authorization: header });
    expect(authenticator.authenticateCached(header, '/')).toBeUndefined();
    await authenticator.authenticate({ authorization: header });
    expect(authenticator.authenticateCached(header, '/')).toBeDefined();
  });

  it('leaves every other form of the header to authenticate(): two headers, another casing, extra spaces, other schemes', async () => {
    const { authenticator, token, header } = await cachedToken();
    for (const other of [[header, header], `bearer ${token}`, `Bearer  ${token}`, `Bearer ${token} `, `Bearer ${token}, Bearer ${token}`, `Basic ${token}`, token, '', undefined, null, []]) {
      expect(authenticator.authenticateCached(other as string, '/'), JSON.stringify(other)?.slice(0, 30)).toBeUndefined();
    }
    // One value in an array (Node's headersDistinct) is one header.
    expect(authenticator.authenticateCached([header], '/')).toBeDefined();
    // Two headers are still refused on the full path.
    expect((await rejection(authenticator.authenticate({ authorization: [header, header] }))).code).toBe('invalid_request');
  });

  it('leaves URLs with a query token to authenticate(), which refuses them', async () => {
    const { authenticator, token, header } = await cachedToken();
    expect(authenticator.authenticateCached(header, `/data?access_token=${token}`)).toBeUndefined();
    expect(authenticator.authenticateCached(header, `/data?%61ccess_token=${token}`)).toBeUndefined();
    expect((await rejection(authenticator.authenticate({ authorization: header, url: `/data?%61ccess_token=${token}` }))).code).toBe('invalid_request');
    expect((await rejection(authenticator.authenticate({ authorization: header, url: `/data?access_token=${token}` }))).code).toBe('invalid_request');
    const realTime = await cachedToken({ queryToken: 'ticket' });
    expect(realTime.authenticator.authenticateCached(realTime.header, `/hub?ticket=${realTime.token}`)).toBeUndefined();
    expect(realTime.authenticator.authenticateCached(realTime.header, '/hub')).toBeDefined();
    // The parameter's name percent-encoded is the same parameter.
    expect(realTime.authenticator.authenticateCached(realTime.header, `/hub?%74icket=${realTime.token}`)).toBeUndefined();
  });

  it('leaves an expired or not-yet-valid cached token to verify(), which refuses it and reports it', async () => {
    const clock = manualClock();
    const events = eventRecorder();
    const { authenticator, header } = await cachedToken({ now: clock.now, onEvent: events.onEvent }, { issuedAt: Math.floor(clock.now() / 1000), expiresIn: 600 });
    expect(authenticator.authenticateCached(header, '/')).toBeDefined();
    clock.advance(601_000 + 300_000);
    expect(authenticator.authenticateCached(header, '/')).toBeUndefined();
    expect((await rejection(authenticator.authenticate({ authorization: header }))).code).toBe('token_expired');
    expect(events.events.some((event) => event.type === 'token_rejected' && event.code === 'token_expired')).toBe(true);
    // A clock that goes back before nbf (less the tolerance) while the token is cached.
    const later = manualClock();
    const early = await cachedToken({ now: later.now }, { issuedAt: Math.floor(later.now() / 1000), expiresIn: 3600 });
    expect(early.authenticator.authenticateCached(early.header, '/')).toBeDefined();
    later.advance(-301_000);
    expect(early.authenticator.authenticateCached(early.header, '/')).toBeUndefined();
    expect((await rejection(early.authenticator.authenticate({ authorization: early.header }))).code).toBe('token_not_yet_valid');
    // A broken clock (NaN) never takes the cached path: verify() fails closed.
    later.set(Number.NaN);
    expect(early.authenticator.authenticateCached(early.header, '/')).toBeUndefined();
    expect((await rejection(early.authenticator.authenticate({ authorization: early.header }))).code).toBe('verification_failed');
    expect(authenticator.authenticateCached(header, '/')).toBeUndefined();
  });

  it('leaves tokens whose acceptance may wait or depends on the request to verify(): a check, a tenant callback, a certificate-bound token', async () => {
    let checks = 0;
    const withCheck = await cachedToken({ check: () => void checks++ });
    expect(withCheck.authenticator.authenticateCached(withCheck.header, '/')).toBeUndefined();
    await withCheck.authenticator.authenticate({ authorization: withCheck.header });
    expect(checks).toBe(3);

    const withCallback = await cachedToken({ tenant: 'organizations', allowedTenants: (tid: string) => tid === entra.tenantId });
    expect(withCallback.authenticator.authenticateCached(withCallback.header, '/')).toBeUndefined();
    const withList = await cachedToken({ tenant: 'organizations', allowedTenants: [entra.tenantId] });
    expect(withList.authenticator.authenticateCached(withList.header, '/')).toBeDefined();

    const authenticator = createRequestAuthenticator({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch });
    const bound = `Bearer ${await entra.mint({ scopes: ['Data.Read'], claims: { cnf: { 'x5t#S256': 'A'.repeat(43) } } })}`;
    const certificate = { x5tS256: 'A'.repeat(43) };
    await authenticator.authenticate({ authorization: bound, clientCertificate: certificate });
    await authenticator.authenticate({ authorization: bound, clientCertificate: certificate });
    expect(authenticator.authenticateCached(bound, '/')).toBeUndefined();
    expect((await rejection(authenticator.authenticate({ authorization: bound }))).code).toBe('certificate_binding_required');
  });

  it('falls to verify() on a clock that throws or is not finite, and verify() refuses with 401', async () => {
    for (const broken of [() => { throw new Error('clock down'); }, () => Number.NEGATIVE_INFINITY, () => Number.POSITIVE_INFINITY]) {
      let clock: () => number = Date.now;
      const { authenticator, header } = await cachedToken({ now: () => clock() });
      expect(authenticator.authenticateCached(header, '/')).toBeDefined();
      clock = broken;
      expect(authenticator.authenticateCached(header, '/')).toBeUndefined();
      const error = await rejection(authenticator.authenticate({ authorization: header }));
      expect(error.status).toBe(401);
    }
  });

  it('is skipped for a shared verifier whose verify() was wrapped, so the wrapper sees every call', async () => {
    const verifier = createEntraVerifier({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch });
    const authenticator = createRequestAuthenticator({ verifier });
    const header = `Bearer ${await entra.mint({ scopes: ['Data.Read'] })}`;
    await authenticator.authenticate({ authorization: header });
    await authenticator.authenticate({ authorization: header });
    expect(authenticator.authenticateCached(header, '/')).toBeDefined();
    const original = verifier.verify.bind(verifier);
    let calls = 0;
    verifier.verify = (...args) => (calls++, original(...args));
    expect(authenticator.authenticateCached(header, '/')).toBeUndefined();
    await authenticator.authenticate({ authorization: header });
    expect(calls).toBe(1);
  });

  it('stops answering once the signing key is revoked or the verifier is closed', async () => {
    const { authenticator, token, header } = await cachedToken();
    const kid = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid as string;
    authenticator.verifier.revokeKey(kid);
    expect(authenticator.authenticateCached(header, '/')).toBeUndefined();
    const other = await cachedToken();
    other.authenticator.verifier.close();
    expect(other.authenticator.authenticateCached(other.header, '/')).toBeUndefined();
  });

  it('with several authorities, answers each authority\'s cached tokens, and falls to verify() where that authority has a check', async () => {
    const four = await fourAuthorities();
    let checks = 0;
    const authorities = four.authorities.map((authority) => (authority.name === 'customers' ? { ...authority, check: () => void checks++ } : authority));
    const authenticator = createRequestAuthenticator({ verifier: createEntraVerifier({ authorities, fetch: four.fetch }) });
    for (const [name, token] of [['employees', await four.work.mint()], ['customers', await four.b2c.mint()], ['agency', await four.gov.mint()]] as const) {
      const header = `Bearer ${token}`;
      await authenticator.authenticate({ authorization: header });
      await authenticator.authenticate({ authorization: header });
      const cached = authenticator.authenticateCached(header, '/');
      if (name === 'customers') expect(cached).toBeUndefined();
      else expect(cached?.authority).toBe(name);
    }
    expect(checks).toBe(2);
  });

  it('has nothing to offer without a result cache, or for a verifier this library did not make', async () => {
    const { authenticator, header } = await cachedToken({ resultCache: false });
    expect(authenticator.authenticateCached(header, '/')).toBeUndefined();
    const foreign = { verify: async () => ({}) } as never;
    expect(cachedVerification(foreign, 'x')).toBeUndefined();
  });
});

describe('singleAuthorization and requestAuthorization (how the adapters read the header)', () => {
  const request = (rawHeaders: string[]) => {
    const headers: Record<string, string> = {};
    for (let i = 0; i < rawHeaders.length; i += 2) headers[rawHeaders[i]!.toLowerCase()] ??= rawHeaders[i + 1]!;
    return { headers, rawHeaders };
  };

  it('returns the value of one Authorization header, in any casing of the name', () => {
    expect(singleAuthorization(request(['Host', 'x', 'Authorization', 'Bearer a']))).toBe('Bearer a');
    expect(singleAuthorization(request(['AUTHORIZATION', 'Bearer a', 'accept', '*/*']))).toBe('Bearer a');
    expect(singleAuthorization(request(['Authorization', '']))).toBe('');
  });

  it('leaves to the full path a header Node did not parse (past its header limit) or an app edited', () => {
    // rawHeaders can run past maxHeadersCount, where headers and headersDistinct stop.
    expect(singleAuthorization({ headers: {}, rawHeaders: ['authorization', 'Bearer a'] })).toBeUndefined();
    expect(singleAuthorization({ rawHeaders: ['authorization', 'Bearer a'] })).toBeUndefined();
    expect(singleAuthorization({ headers: { authorization: 'Bearer edited' }, rawHeaders: ['Authorization', 'Bearer a'] })).toBeUndefined();
  });

  it('returns nothing for none, for two (Node keeps only the first in headers), or for what is not a Node request', () => {
    expect(singleAuthorization(request(['Host', 'x']))).toBeUndefined();
    expect(singleAuthorization(request(['authorization', 'Bearer a', 'Authorization', 'Bearer b']))).toBeUndefined();
    expect(singleAuthorization(request(['authorization', 'Bearer a', 'authorization', 'Bearer a']))).toBeUndefined();
    expect(singleAuthorization(request(['authorization', '', 'authorization', 'Bearer a']))).toBeUndefined();
    for (const other of [undefined, null, {}, { headers: { authorization: 'Bearer a' } }, { rawHeaders: 'authorization: Bearer a' }, { headers: { authorization: '7' }, rawHeaders: ['authorization', 7] }, { rawHeaders: ['authorization'] }, { headers: { authorization: 'Bearer a' }, rawHeaders: ['authorization', 'Bearer a', 'authorization'] }]) {
      expect(singleAuthorization(other as never)).toBeUndefined();
    }
  });

  it('hands the full path every copy of a repeated header, even one Node did not parse, so it is refused', () => {
    // HTTP/2's compatibility request has no headersDistinct and keeps the first copy in headers.
    expect(requestAuthorization({ headers: { authorization: 'Bearer a' }, rawHeaders: ['authorization', 'Bearer a', 'Authorization', 'Bearer b'] })).toEqual(['Bearer a', 'Bearer b']);
    // Past the header limit, headersDistinct shows one copy; rawHeaders shows both.
    expect(requestAuthorization({ headers: { authorization: 'Bearer a' }, headersDistinct: { authorization: ['Bearer a'] }, rawHeaders: ['authorization', 'Bearer a', 'authorization', 'Bearer b'] })).toEqual(['Bearer a', 'Bearer b']);
  });

  it('otherwise gives headersDistinct, else headers (where an app may have put a token)', () => {
    expect(requestAuthorization({ headers: { authorization: 'Bearer a' }, headersDistinct: { authorization: ['Bearer a'] }, rawHeaders: ['authorization', 'Bearer a'] })).toEqual(['Bearer a']);
    expect(requestAuthorization({ headers: { authorization: 'Bearer from-cookie' }, headersDistinct: {}, rawHeaders: [] })).toBe('Bearer from-cookie');
    expect(requestAuthorization({ headers: { authorization: 'Bearer a' } })).toBe('Bearer a');
    expect(requestAuthorization({ headers: {}, rawHeaders: [] })).toBeUndefined();
    expect(requestAuthorization(undefined)).toBeUndefined();
  });
});
