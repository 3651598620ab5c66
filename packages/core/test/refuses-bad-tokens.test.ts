import { createFakeEntra, type AttackToken, type FakeEntra } from '@entra-verify/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { EntraAuthError, type EntraVerifierEvent } from '../src/index.js';
import { backends, rejection, verifierFactory } from './support/backends.js';

let entra: FakeEntra;
let attacks: AttackToken[];
beforeAll(async () => {
  entra = await createFakeEntra({ tenants: 2, apis: [{ scopes: ['Data.Read'] }, { identifierUri: 'api://legacy', accessTokenVersion: 1 }] });
  attacks = await entra.attackTokens();
});

describe.each(backends)('refusals (%s)', (_name, backend) => {
  const create = verifierFactory(backend);

  it('refuses every testkit attack token with the code of the first broken rule, and never leaks it', async () => {
    const events: EntraVerifierEvent[] = [];
    const verifier = create({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, onEvent: (e) => events.push(e) });
    expect(attacks.length).toBeGreaterThanOrEqual(25);
    for (const attack of attacks) {
      const error = await rejection(verifier.verify(attack.token));
      expect(error, attack.name).toBeInstanceOf(EntraAuthError);
      expect({ name: attack.name, code: error.code }).toEqual({ name: attack.name, code: attack.expectedCode });
      expect(error.status, attack.name).toBe(401);
      expect(error.hint.length, attack.name).toBeGreaterThan(20);
      const said = JSON.stringify({ message: error.message, description: error.description, hint: error.hint });
      const [header = '', payload = '', signature = ''] = attack.token.split('.');
      for (const part of [header, payload, signature].filter((p) => p.length > 16)) expect(said, attack.name).not.toContain(part);
    }
    const rejected = events.filter((e) => e.type === 'token_rejected');
    expect(rejected).toHaveLength(attacks.length);
    const allEvents = JSON.stringify(events);
    for (const attack of attacks) expect(allEvents).not.toContain(attack.token.slice(0, 40));
  });

  it('refuses the same attacks when aimed at a v1 API', async () => {
    const verifier = create({ tenant: entra.tenantId, audience: 'api://legacy', fetch: entra.fetch });
    for (const attack of await entra.attackTokens({ api: 'api://legacy' })) {
      const error = await rejection(verifier.verify(attack.token));
      expect({ name: attack.name, code: error.code }).toEqual({ name: attack.name, code: attack.expectedCode });
    }
  });

  it('refuses a tenant outside the allow-list or rejected by the callback', async () => {
    const other = entra.tenants[1]!.id;
    const listed = create({ tenant: 'organizations', clientId: entra.api.appId, allowedTenants: [entra.tenantId], fetch: entra.fetch });
    expect((await rejection(listed.verify(await entra.mint({ tenantId: other })))).code).toBe('tenant_not_allowed');
    const callback = create({ tenant: 'common', clientId: entra.api.appId, allowedTenants: () => false, fetch: entra.fetch });
    expect((await rejection(callback.verify(await entra.mint()))).code).toBe('tenant_not_allowed');
    const throwing = create({ tenant: 'common', clientId: entra.api.appId, allowedTenants: () => { throw new Error('db down'); }, fetch: entra.fetch });
    const error = await rejection(throwing.verify(await entra.mint()));
    expect(error.code).toBe('tenant_not_allowed');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('enforces tokenVersion', async () => {
    const v2Only = create({ tenant: entra.tenantId, clientId: entra.api.appId, tokenVersion: 2, fetch: entra.fetch });
    const v1Only = create({ tenant: entra.tenantId, clientId: entra.api.appId, tokenVersion: 1, fetch: entra.fetch });
    expect((await rejection(v2Only.verify(await entra.mint({ version: 1 })))).code).toBe('issuer_mismatch');
    expect((await rejection(v1Only.verify(await entra.mint({ version: 2 })))).code).toBe('issuer_mismatch');
  });

  it('refuses a token from another cloud even when its tenant is allowed', async () => {
    const gov = await createFakeEntra({ authorityHost: 'https://login.microsoftonline.us', tenants: [entra.tenantId] });
    const verifier = create({ tenant: entra.tenantId, audience: [entra.api.appId, gov.api.appId], fetch: entra.fetch });
    expect((await rejection(verifier.verify(await gov.mint()))).code).toBe('signing_key_not_found');
  });

  it('refuses clients outside allowedClientApps', async () => {
    const verifier = create({ tenant: entra.tenantId, clientId: entra.api.appId, allowedClientApps: [crypto.randomUUID()], fetch: entra.fetch });
    expect((await rejection(verifier.verify(await entra.mint()))).code).toBe('client_not_allowed');
  });

  it('refuses HMAC and "none" even if misconfigured to allow other RSA algorithms', async () => {
    const verifier = create({ tenant: entra.tenantId, clientId: entra.api.appId, algorithms: ['RS256', 'PS256'], fetch: entra.fetch });
    for (const name of ['alg-none', 'hs256-public-key-as-secret']) {
      expect((await rejection(verifier.verify(attacks.find((a) => a.name === name)!.token))).code).toBe('algorithm_not_allowed');
    }
  });

  it('refuses values that are not tokens with a clear error, never a crash', async () => {
    const verifier = create({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch });
    for (const value of ['', 'abc', '...', 'a.b.c', '%%%.%%%.%%%', '\u0000.\u0000.\u0000', 'e30.e30.', 'eyJhbGciOiJSUzI1NiJ9.bnVsbA.x', 42, null, undefined, {}, ['a.b.c']]) {
      const error = await rejection(verifier.verify(value as string));
      expect(error, String(value)).toBeInstanceOf(EntraAuthError);
      expect(error.status).toBe(401);
    }
  });

  it('refuses a token larger than maxTokenBytes before parsing it', async () => {
    const fake = await createFakeEntra();
    const verifier = create({ tenant: fake.tenantId, clientId: fake.api.appId, maxTokenBytes: 100, fetch: fake.fetch });
    expect((await rejection(verifier.verify(await fake.mint()))).code).toBe('token_too_large');
    expect(fake.requests.count('keys')).toBe(0);
  });

  it('refuses a token with an empty role list and no scp', async () => {
    const verifier = create({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch });
    const error = await rejection(verifier.verify(await entra.mint({ appOnly: true, roles: [] })));
    expect(error.code).toBe('no_scope_or_role');
    expect(error.hint).toMatch(/client-credentials/);
  });
});
