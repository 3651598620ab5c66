// Regression tests for what an outside review reproduced with tokens anyone can make (no key):
// each is written against the behaviour (the class of input), not the one token that found it.
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { EntraAuthError, type EntraVerifierEvent, type EntraVerifierOptions } from '../src/index.js';
import { backends, manualClock, rejection, verifierFactory } from './support/backends.js';

const PERSONAL_ACCOUNTS = '9188040d-6c67-4c5b-b112-36a304b66dad';
/** C0 and C1 controls, DEL, line separators and bidi overrides: none may reach a log or terminal raw. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

let entra: FakeEntra;
let options: EntraVerifierOptions;
beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read'], appRoles: ['Admin'] }] });
  options = { tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch };
});

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
/** A hand-made token: any header and payload, a signature that is only bytes. */
const unsigned = (header: unknown, payload: unknown) => `${b64(header)}.${b64(payload)}.${b64('not a signature')}`;
/** JSON text of an array nested `depth` deep (JSON.stringify would overflow building it recursively). */
const nestedJson = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe.each(backends)('hostile tokens (%s)', (_name, backend) => {
  const create = verifierFactory(backend);

  async function payload() {
    const [, body = ''] = (await entra.mint()).split('.');
    return JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
  }

  it.each(['crit', 'b64', 'kid', 'jku'])('refuses a header member "%s" nested 20,000 arrays deep as a typed refusal, in verify and diagnose', async (member) => {
    const header = `{"alg":"RS256","kid":"k1","${member}":${nestedJson(20_000)}}`;
    const token = `${Buffer.from(header).toString('base64url')}.${b64(await payload())}.${b64('sig')}`;
    const verifier = create(options);
    const error = await rejection(verifier.verify(token));
    expect(error).toBeInstanceOf(EntraAuthError);
    expect(error.status).toBe(401);
    const diagnosis = await verifier.diagnose(token);
    expect(diagnosis.accepted).toBe(false);
    expect(diagnosis.checks.some((c) => c.outcome === 'failed')).toBe(true);
  });

  it.each([
    ['a nested array', [['x']]],
    ['a string', 'exp'],
    ['an empty array', []],
    ['an array with a number', ['exp', 1]],
  ])('refuses crit that is %s with malformed_token, naming its type without serializing it', async (_label, crit) => {
    const error = await rejection(create(options).verify(unsigned({ alg: 'RS256', kid: 'k', crit }, await payload())));
    expect(error.code).toBe('malformed_token');
    expect(error.hint).toMatch(/crit/);
    expect(error.hint).not.toContain(JSON.stringify(crit));
  });

  it('escapes control and bidi characters from kid, alg, iss and aud in hints and events', async () => {
    const events: EntraVerifierEvent[] = [];
    const verifier = create({ ...options, onEvent: (e) => events.push(e) });
    const evil = 'x\r\n2026-11-22 INFO accepted token\u001b[2J\u001b[32mAccepted\u009b\u202e';
    const claims = await payload();
    const tokens = [
      unsigned({ alg: evil, kid: 'k' }, claims),
      unsigned({ alg: 'RS256', kid: evil }, claims),
      unsigned({ alg: 'RS256', crit: [evil] }, claims),
      await entra.mint({ claims: { iss: `https://login.microsoftonline.com/${evil}/v2.0` } }),
      await entra.mint({ claims: { aud: evil } }),
      await entra.mint({ claims: { azp: undefined, appid: undefined, nonce: evil } }),
    ];
    for (const token of tokens) {
      const error = await rejection(verifier.verify(token));
      expect(error.hint).not.toMatch(UNSAFE);
      expect(error.description).not.toMatch(UNSAFE);
      expect(error.message).not.toMatch(UNSAFE);
      const report = await verifier.diagnose(token);
      for (const check of report.checks) expect(check.error?.hint ?? '').not.toMatch(UNSAFE);
    }
    expect(events.filter((e) => e.type === 'token_rejected')).toHaveLength(tokens.length);
    for (const event of events) expect(JSON.stringify(event)).not.toMatch(UNSAFE);
  });

  it.each([
    ['exp far in the future', { exp: 1e300 }],
    ['exp far in the past', { exp: -1e300 }],
    ['nbf far in the future', { nbf: 1e300 }],
    ['nbf beyond the Date range by one', { nbf: 8.64e12 + 1 }],
  ])('diagnose() explains a token with %s instead of throwing', async (_label, times) => {
    const verifier = create(options);
    const token = unsigned({ alg: 'RS256', kid: 'k' }, { ...(await payload()), ...times });
    const diagnosis = await verifier.diagnose(token);
    expect(diagnosis.accepted).toBe(false);
    const claims = diagnosis.checks.find((c) => c.rule === 'claims')!;
    expect(claims.outcome).toBe('failed');
    expect(claims.error!.hint).toMatch(/within the range of dates, got the number/);
    // Signed by a published key, such times are still no date: refused the same way.
    const error = await rejection(create(options).verify(await entra.mint({ claims: times })));
    expect(error.code).toBe('malformed_token');
  });

  it('never lets tenant "organizations" accept personal Microsoft accounts, even with allowedTenants ["*"] or a callback that says yes', async () => {
    const msa = await entra.mint({ tenantId: PERSONAL_ACCOUNTS });
    const work = await entra.mint();
    for (const allowedTenants of [['*'], () => true]) {
      const verifier = create({ ...options, tenant: 'organizations', allowedTenants });
      const error = await rejection(verifier.verify(msa));
      expect(error.code).toBe('tenant_not_allowed');
      expect(error.hint).toMatch(/personal Microsoft accounts.*work and school accounts only.*"common"/);
      await expect(verifier.verify(work)).resolves.toMatchObject({ tenantId: entra.tenantId });
      // A second sighting goes through the result cache; the rule holds there too.
      await rejection(verifier.verify(msa));
      await rejection(verifier.verify(msa));
    }
    const common = create({ ...options, tenant: 'common', allowedTenants: ['*'] });
    await expect(common.verify(msa)).resolves.toMatchObject({ tenantId: PERSONAL_ACCOUNTS });
    expect(() => create({ ...options, tenant: 'organizations', allowedTenants: [PERSONAL_ACCOUNTS] })).toThrow(/work and school accounts only/);
  });

  it('refuses an ID token even when client and API share one app registration and it carries app roles', async () => {
    const verifier = create(options);
    const sharedRegistration = await entra.mint({ roles: ['Admin'], claims: { azp: undefined, azpacr: undefined, scp: undefined, nonce: 'n-0S6_WzA2Mj' } });
    for (const token of [
      sharedRegistration,
      await entra.mint({ roles: ['Admin'], claims: { azp: undefined, azpacr: undefined, scp: undefined } }),
      await entra.mint({ roles: ['Admin'], claims: { nonce: 'abc' } }),
      await entra.mint({ version: 1, audience: entra.api.appId, roles: ['Admin'], claims: { appid: undefined, appidacr: undefined } }),
    ]) {
      const error = await rejection(verifier.verify(token, { roles: ['Admin'] }));
      expect(error.code).toBe('not_access_token');
      expect(error.status).toBe(401);
      expect(error.hint).toMatch(/ID token/);
    }
    await expect(verifier.verify(await entra.mint({ roles: ['Admin'] }), { roles: ['Admin'] })).resolves.toBeDefined();
    await expect(verifier.verify(await entra.mint({ version: 1, audience: entra.api.appId }))).resolves.toMatchObject({ tokenVersion: 1 });
  });

  it('refuses tokenVersion together with authority when the verifier is created', () => {
    for (const tokenVersion of [1, 2, 'any'] as const) {
      expect(() => create({ ...options, authority: entra.authority(), tokenVersion })).toThrow(/tokenVersion cannot be combined with authority/);
    }
    expect(() => create({ ...options, tokenVersion: 'v2' as never })).toThrow(/got "v2"/);
  });

  it('freezes results at every level, so one request cannot change what the next one sees', async () => {
    const verifier = create(options);
    const token = await entra.mint({ roles: ['Admin'], claims: { groups: ['g1'], acrs: ['c1'], xms_cc: { nested: ['cp1'] } } });
    const results = [await verifier.verify(token), await verifier.verify(token), await verifier.verify(token)];
    const [first] = results;
    expect(() => (first!.claims.roles as string[]).push('Owner')).toThrow(TypeError);
    expect(() => (first!.claims.groups as string[]).push('g2')).toThrow(TypeError);
    expect(() => ((first!.claims.xms_cc as { nested: string[] }).nested[0] = 'x')).toThrow(TypeError);
    expect(() => first!.roles.push('Owner')).toThrow(TypeError);
    expect(() => ((first!.header as { kid?: string }).kid = 'x')).toThrow(TypeError);
    const last = results.at(-1)!;
    expect(last.claims.roles).toEqual(['Admin']);
    expect(last.roles).toEqual(['Admin']);
  });

  it('fails closed when the injected clock returns a non-finite number or throws', async () => {
    const token = await entra.mint({ issuedAt: Math.floor(Date.now() / 1000) - 3 * 3600 });
    for (const now of [() => Number.NaN, () => Number.POSITIVE_INFINITY, () => 'soon' as unknown as number, () => { throw new Error('clock broke'); }]) {
      const events: EntraVerifierEvent[] = [];
      const verifier = create({ ...options, now, onEvent: (e) => events.push(e) });
      const error = await rejection(verifier.verify(token));
      expect(error).toBeInstanceOf(EntraAuthError);
      expect(error.status).toBe(401);
      const rejected = events.find((e) => e.type === 'token_rejected');
      expect(rejected).toBeDefined();
    }
  });

  it('reads attribution from a forged payload only when it is small, so a 32 KiB one is never parsed before its signature holds', async () => {
    const events: EntraVerifierEvent[] = [];
    const verifier = create({ ...options, onEvent: (e) => events.push(e) });
    const claims = await payload();
    const forge = (extra: Record<string, unknown>) => `${b64({ alg: 'RS256', kid: entra.keys.current.kid })}.${b64({ ...claims, ...extra })}.${b64('x'.repeat(256))}`;
    await rejection(verifier.verify(forge({})));
    await rejection(verifier.verify(forge({ padding: 'p'.repeat(8_000) })));
    const [small, large] = events.filter((e) => e.type === 'token_rejected') as Array<Extract<EntraVerifierEvent, { type: 'token_rejected' }>>;
    expect(small).toMatchObject({ code: 'invalid_signature', claimsVerified: false, tenantId: entra.tenantId });
    expect(large).toMatchObject({ code: 'invalid_signature', claimsVerified: false });
    expect(large!.tenantId).toBeUndefined();
  });

  it('turns an internal failure into a 401 verification_failed refusal with the cause kept and an event', async () => {
    const clock = manualClock();
    let broken = false;
    const events: EntraVerifierEvent[] = [];
    const verifier = create({ ...options, now: () => (broken ? (() => { throw new RangeError('Maximum call stack size exceeded'); })() : clock.now()), onEvent: (e) => events.push(e) });
    const token = await entra.mint();
    await verifier.verify(token);
    broken = true;
    const error = await rejection(verifier.verify(token));
    expect(error.code).toBe('verification_failed');
    expect(error.status).toBe(401);
    expect(error.oauthError).toBe('invalid_token');
    expect(error.cause).toBeInstanceOf(RangeError);
    expect(error.hint).toMatch(/RangeError: Maximum call stack size exceeded/);
    const event = events.find((e) => e.type === 'token_rejected' && e.code === 'verification_failed');
    expect(event).toMatchObject({ status: 401, cause: error.cause });
    const diagnosis = await verifier.diagnose(token);
    expect(diagnosis.accepted).toBe(false);
    expect(diagnosis.checks.find((c) => c.outcome === 'failed')?.error?.code).toBe('verification_failed');
  });
});
