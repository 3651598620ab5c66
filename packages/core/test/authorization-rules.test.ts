// What real APIs ask of a token beyond scopes and roles: required claims (API Management's
// semantics), callers, guests, groups (with overage), a custom check, the raw token for
// on-behalf-of, and requirements checked like options.
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { authorize, checkRequirement, refuse, requirementOf, toHttpError, type VerifiedAccessToken } from '../src/index.js';
import { backends, rejection, verifierFactory } from './support/backends.js';

let entra: FakeEntra;
beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read'] }] });
});

const SALES = '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9';
const AUDIT = '11111111-2222-4333-8444-555555555555';

describe.each(backends)('authorization rules (%s)', (_name, backend) => {
  const create = verifierFactory(backend);
  const base = () => ({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch });

  describe('requiredClaims', () => {
    it('on the verifier: refuses a missing or non-matching claim with required_claim_not_met (403 insufficient_scope)', async () => {
      const verifier = create({ ...base(), requiredClaims: [{ name: 'ctry', values: ['FR', 'DE'], match: 'any' }] });
      expect((await verifier.verify(await entra.mint({ claims: { ctry: 'FR' } }))).claims.ctry).toBe('FR');
      for (const claims of [{}, { ctry: 'US' }]) {
        const error = await rejection(verifier.verify(await entra.mint({ claims })));
        expect(error.code).toBe('required_claim_not_met');
        expect(toHttpError(error)).toMatchObject({ status: 403, body: { error: 'insufficient_scope', error_description: 'The token lacks a claim this operation requires.' } });
      }
    });

    it('in a requirement: match all / any, a separator, and presence alone', async () => {
      const verifier = create(base());
      const token = await entra.mint({ claims: { tier: 'gold,eu', xms_cc: ['cp1'] } });
      await verifier.verify(token, { requiredClaims: [{ name: 'tier', values: ['gold', 'eu'], separator: ',' }, { name: 'xms_cc' }] });
      await verifier.verify(token, { requiredClaims: [{ name: 'tier', values: ['silver', 'eu'], match: 'any', separator: ',' }] });
      const error = await rejection(verifier.verify(token, { requiredClaims: [{ name: 'tier', values: ['gold', 'us'], separator: ',' }] }));
      expect(error.code).toBe('required_claim_not_met');
      expect(error.hint).toContain('Required claim "tier" must hold all of "gold", "us" (separated by ","); the token\'s 2 values do not include "us"');
      expect(() => create({ ...base(), requiredClaims: [{ name: 'ctry', value: 'FR' } as never] })).toThrow(/unknown key "value"/);
    });
  });

  describe('callers and guests', () => {
    it('callers: users refuses app-only tokens, apps refuses delegated ones', async () => {
      const users = create({ ...base(), callers: 'users' });
      await users.verify(await entra.mint());
      expect(await rejection(users.verify(await entra.mint({ appOnly: true, roles: ['x'] })))).toMatchObject({ code: 'caller_not_allowed', status: 403 });
      const apps = create(base());
      await apps.verify(await entra.mint(), { callers: 'both' });
      expect((await rejection(apps.verify(await entra.mint(), { callers: 'apps' }))).code).toBe('caller_not_allowed');
    });

    it('reports guests from acct, else from an idp of another tenant, and refuses them when asked', async () => {
      const verifier = create(base());
      const member = await verifier.verify(await entra.mint());
      expect(member.principal.guest).toBe(false);
      expect((await verifier.verify(await entra.mint({ claims: { acct: 1 } }))).principal.guest).toBe(true);
      expect((await verifier.verify(await entra.mint({ claims: { acct: 0, idp: 'live.com' } }))).principal.guest).toBe(false);
      expect((await verifier.verify(await entra.mint({ version: 1, claims: { idp: `https://sts.windows.net/${crypto.randomUUID()}/` } }))).principal.guest).toBe(true);
      expect((await verifier.verify(await entra.mint({ claims: { idp: 'live.com' } }))).principal.guest).toBe(true);
      // A member's v2 token may name its own tenant's v1 issuer as idp: not a guest.
      expect((await verifier.verify(await entra.mint({ claims: { idp: `https://sts.windows.net/${entra.tenantId}/` } }))).principal.guest).toBe(false);
      const noGuests = create({ ...base(), guests: 'refuse' });
      expect(await rejection(noGuests.verify(await entra.mint({ claims: { acct: 1 } })))).toMatchObject({ code: 'guest_not_allowed', status: 403 });
      await noGuests.verify(await entra.mint());
      expect((await rejection(verifier.verify(await entra.mint({ claims: { acct: 1 } }), { guests: 'refuse' }))).code).toBe('guest_not_allowed');
    });
  });

  describe('groups', () => {
    it('requires membership, and names a groups overage with its own code', async () => {
      const verifier = create(base());
      await verifier.verify(await entra.mint({ claims: { groups: [SALES] } }), { groups: [SALES] });
      await verifier.verify(await entra.mint({ claims: { groups: [SALES] } }), { groups: [SALES, AUDIT], match: 'any' });
      expect((await rejection(verifier.verify(await entra.mint({ claims: { groups: [AUDIT] } }), { groups: [SALES] }))).code).toBe('not_in_group');
      expect((await rejection(verifier.verify(await entra.mint(), { groups: [SALES] }))).hint).toContain('has no groups claim');
      for (const claims of [{ _claim_names: { groups: 'src1' }, _claim_sources: { src1: { endpoint: 'https://graph.windows.net/t/users/o/getMemberObjects' } } }, { hasgroups: true }]) {
        const error = await rejection(verifier.verify(await entra.mint({ claims }), { groups: [SALES] }));
        expect(error).toMatchObject({ code: 'groups_overage', status: 403 });
        expect(error.hint).toContain('app roles');
        expect(error.hint).toContain('Microsoft Graph');
      }
    });
  });

  describe('a custom check', () => {
    it('refuses with typed refusals, sync or async, on the verifier and in a requirement, with the request', async () => {
      const seen: unknown[] = [];
      const verifier = create({
        ...base(),
        check: async (auth, request) => {
          seen.push(request);
          if (auth.claims.plan === 'free') throw refuse('subscription_inactive', 'The subscription is not active.', `tenant ${auth.tenantId} has no plan`);
        },
      });
      await verifier.verify(await entra.mint({ claims: { plan: 'pro' } }), undefined, { request: 'req-1' });
      expect(seen).toEqual(['req-1']);
      const error = await rejection(verifier.verify(await entra.mint({ claims: { plan: 'free' } })));
      expect(error).toMatchObject({ code: 'check_refused', reason: 'subscription_inactive', status: 403, description: 'The subscription is not active.' });
      // A library code keeps its own status.
      const own = await rejection(create(base()).verify(await entra.mint(), { check: () => { throw refuse('tenant_not_allowed', 'No.'); } }));
      expect(own).toMatchObject({ code: 'tenant_not_allowed', status: 401 });
    });

    it('turns anything else a check throws into a refusal, never a 500', async () => {
      const verifier = create(base());
      for (const check of [() => { throw new Error('db down'); }, () => Promise.reject(new Error('db down'))]) {
        const error = await rejection(verifier.verify(await entra.mint(), { check }));
        expect(error.code).toBe('verification_failed');
        expect(toHttpError(error).status).toBe(401);
      }
      expect(() => refuse('Not Snake', 'x')).toThrow(TypeError);
    });
  });

  describe('the raw token', () => {
    it('is on auth.token for on-behalf-of, but not enumerable: never serialized or spread', async () => {
      const verifier = create(base());
      const token = await entra.mint();
      const auth = await verifier.verify(token);
      expect(auth.token).toBe(token);
      expect(Object.keys(auth)).not.toContain('token');
      expect(JSON.stringify(auth)).not.toContain(token.split('.')[2]);
      expect({ ...auth }).not.toHaveProperty('token');
      // Cached results carry it too.
      expect((await verifier.verify(token)).token).toBe(token);
      expect((await verifier.verify(token)).token).toBe(token);
    });
  });

  describe('requirements are checked like options', () => {
    it('an unknown key throws with the known keys, at the first call or when a guard is declared', async () => {
      const verifier = create(base());
      await expect(verifier.verify(await entra.mint(), { group: [SALES] } as never)).rejects.toThrow(/unknown key "group".*known keys: scopes, roles, appPermissions, match, authContext, authority, groups, requiredClaims, callers, guests, check/);
      expect(() => requirementOf({ scope: ['x'] } as never)).toThrow(TypeError);
      expect(() => requirementOf({ scopes: 'Data.Read' } as never)).toThrow(/scopes must be an array/);
      expect(() => requirementOf({ callers: 'humans' } as never)).toThrow(/callers must be/);
      const auth = await verifier.verify(await entra.mint());
      expect(() => authorize(auth, { roles: ['x'], matchAll: true } as never)).toThrow(/unknown key "matchAll"/);
    });

    it('checkRequirement hands the request to the check and returns a promise only then', async () => {
      const auth = (await create(base()).verify(await entra.mint())) as VerifiedAccessToken;
      expect(checkRequirement(auth, { scopes: ['Data.Read'] })).toBe(auth);
      let got: unknown;
      await expect(checkRequirement(auth, { check: async (_a, request) => void (got = request) }, { path: '/x' })).resolves.toBe(auth);
      expect(got).toEqual({ path: '/x' });
    });
  });
});
