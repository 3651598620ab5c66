// One verifier for many authorities: a workforce tenant, an Azure AD B2C user flow, an External ID
// tenant and a US Government tenant. The unsigned issuer only picks the authority; that authority's
// rules and key set alone decide.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EntraVerifier } from '../src/index.js';
import { backends, rejection, verifierFactory } from './support/backends.js';
import { fourAuthorities, type FourAuthorities } from './support/many-authorities.js';

let four: FourAuthorities;
beforeAll(async () => {
  four = await fourAuthorities();
});

const keyFetches = () => ({ work: four.work.requests.count('keys'), b2c: four.b2c.requests.count('keys'), ciam: four.ciam.requests.count('keys'), gov: four.gov.requests.count('keys') });

describe.each(backends)('several authorities (%s)', (_name, backend) => {
  const create = verifierFactory(backend);
  let verifier: EntraVerifier;
  beforeEach(() => {
    verifier = create({ authorities: four.authorities, fetch: four.fetch });
  });

  it('accepts each authority\'s tokens and names the authority that matched', async () => {
    const cases = [
      ['employees', await four.work.mint()],
      ['employees', await four.work.mint({ version: 1 })],
      ['customers', await four.b2c.mint()],
      ['shoppers', await four.ciam.mint()],
      ['agency', await four.gov.mint()],
      ['agency', await four.gov.mint({ version: 1 })],
    ] as const;
    for (const [authority, token] of cases) {
      const auth = await verifier.verify(token);
      expect(auth.authority, authority).toBe(authority);
    }
    expect(verifier.authorities).toEqual(['employees', 'customers', 'shoppers', 'agency']);
  });

  it('judges each token by its own authority\'s rules only', async () => {
    // A B2C token for the workforce API's audience: the B2C authority's audience is B2C's API.
    expect((await rejection(verifier.verify(await four.b2c.mint({ audience: four.work.api.appId })))).code).toBe('audience_mismatch');
    // A workforce token for the US Government API: the workforce authority wants its own API.
    expect((await rejection(verifier.verify(await four.work.mint({ audience: four.gov.api.appId })))).code).toBe('audience_mismatch');
    // A US Government token from a tenant no authority names.
    const stranger = await rejection(verifier.verify(await four.gov.mint({ tenantId: crypto.randomUUID() })));
    expect(stranger.code).toBe('issuer_mismatch');
  });

  it('refuses a token whose issuer names one authority but whose key is another\'s, fetching only the named authority\'s key set', async () => {
    await verifier.warm();
    const before = keyFetches();
    // Workforce issuer and claims, signed with B2C's key (kid and all).
    const forged = await four.work.mint({ signingKey: four.b2c.signingKey() });
    const error = await rejection(verifier.verify(forged));
    expect(error.code).toBe('signing_key_not_found');
    expect(error.hint).toContain(four.work.jwksUri());
    // B2C issuer, signed with the workforce key.
    const other = await four.work.mint({ claims: { iss: four.b2c.issuer(), tid: undefined, tfp: 'b2c_1_susi', aud: four.b2c.apiAppId } });
    expect((await rejection(verifier.verify(other))).code).toBe('signing_key_not_found');
    const after = keyFetches();
    // One refetch of each named authority's own key set for the unknown kid; the owner of the key is never asked.
    expect(after).toEqual({ ...before, work: before.work + 1, b2c: before.b2c + 1 });
  });

  it('keeps key sets and cached results apart: each authority fetches its own keys once, and a cached result never satisfies another authority\'s requirement', async () => {
    const fresh = create({ authorities: four.authorities, fetch: four.fetch });
    const before = keyFetches();
    const employee = await four.work.mint();
    const customer = await four.b2c.mint();
    for (let i = 0; i < 3; i++) {
      expect((await fresh.verify(employee)).authority).toBe('employees');
      expect((await fresh.verify(customer)).authority).toBe('customers');
    }
    const after = keyFetches();
    expect(after).toEqual({ ...before, work: before.work + 1, b2c: before.b2c + 1 });
    // The employee's token is now a cache hit; a customers-only route still refuses it.
    const refused = await rejection(fresh.verify(employee, { authority: 'customers' }));
    expect(refused.code).toBe('authority_not_allowed');
    expect(refused.status).toBe(403);
    expect((await fresh.verify(customer, { authority: ['customers', 'shoppers'] })).authority).toBe('customers');
  });

  it('refuses an issuer no authority accepts, listing the authorities and the closest one', async () => {
    const otherTenant = crypto.randomUUID();
    const error = await rejection(verifier.verify(await four.work.mint({ tenantId: otherTenant })));
    expect(error.code).toBe('issuer_mismatch');
    expect(error.hint).toContain('"employees"');
    expect(error.hint).toContain('"customers"');
    expect(error.hint).toContain('"agency"');
    expect(error.hint).toContain(`The closest is "employees" (https://login.microsoftonline.com/${four.work.tenantId}/v2.0): another tenant: "${otherTenant}"`);
  });

  it('diagnoses through the chosen authority, and reports the authority rule', async () => {
    const diagnosis = await verifier.diagnose(await four.ciam.mint());
    expect(diagnosis.accepted).toBe(true);
    expect(diagnosis.authority).toBe('shoppers');
    expect(diagnosis.checks.map((c) => c.rule).slice(0, 3)).toEqual(['format', 'authority', 'algorithm']);
    const refused = await verifier.diagnose(await four.work.mint({ tenantId: crypto.randomUUID() }));
    expect(refused.accepted).toBe(false);
    expect(refused.checks.find((c) => c.rule === 'authority')).toMatchObject({ outcome: 'failed', error: { code: 'issuer_mismatch' } });
    expect(refused.checks.filter((c) => c.outcome === 'skipped').length).toBeGreaterThan(5);
  });

  it('checks requirement names against its authorities', async () => {
    await expect(verifier.verify(await four.work.mint(), { authority: 'custmers' })).rejects.toThrow(/authority "custmers".*"employees", "customers", "shoppers", "agency"/);
  });
});

describe('several authorities: configuration', () => {
  const create = verifierFactory(backends[0]![1]);

  it('refuses two authorities that accept the same issuer, and options in the wrong place', () => {
    const [employees] = four.authorities;
    expect(() => create({ authorities: [employees!, { ...employees!, name: 'again' }], fetch: four.fetch })).toThrow(/authorities "employees" and "again" both accept issuer/);
    expect(() => create({ authorities: [employees!, { ...employees!, name: 'employees' }], fetch: four.fetch })).toThrow(/used twice/);
    expect(() => create({ authorities: [{ ...employees!, fetch: four.fetch } as never] })).toThrow(/"fetch" is verifier-wide/);
    expect(() => create({ authorities: [employees!], tenant: four.work.tenantId } as never)).toThrow(/"tenant" belongs to an authority/);
    expect(() => create({ authorities: [] })).toThrow(/non-empty array/);
    expect(() => create({ authorities: [{ ...employees!, name: undefined } as never] })).toThrow(/name is required/);
    expect(() => create({ authorities: [{ name: 'x', tenant: 'contoso.com', clientId: four.work.api.appId }] })).toThrow(/authorities\[0\] \("x"\): tenant must be a tenant GUID/);
  });

  it('lets a multi-tenant authority take any tenant of its cloud by the {tenantid} template, after its tenant policy', async () => {
    const partner = crypto.randomUUID();
    const verifier = create({
      authorities: [
        { name: 'employees', tenant: four.work.tenantId, clientId: four.work.api.appId },
        { name: 'partners', tenant: 'organizations', allowedTenants: [partner], clientId: four.work.api.appId },
      ],
      fetch: four.fetch,
    });
    expect((await verifier.verify(await four.work.mint())).authority).toBe('employees');
    expect((await verifier.verify(await four.work.mint({ tenantId: partner }))).authority).toBe('partners');
    expect((await verifier.verify(await four.work.mint({ tenantId: partner, version: 1 }))).authority).toBe('partners');
    expect((await rejection(verifier.verify(await four.work.mint({ tenantId: crypto.randomUUID() })))).code).toBe('tenant_not_allowed');
  });

  it('answers 503 for an unknown issuer while a discovery authority\'s metadata cannot load', async () => {
    four.b2c.faults.set('discovery', { status: 503 });
    try {
      const verifier = create({ authorities: four.authorities, fetch: four.fetch });
      expect((await verifier.verify(await four.work.mint())).authority).toBe('employees');
      expect((await rejection(verifier.verify(await four.b2c.mint()))).code).toBe('keys_unavailable');
    } finally {
      four.b2c.faults.clear();
    }
  });
});
