import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { backends, verifierFactory } from './support/backends.js';

let entra: FakeEntra;
beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read'] }] });
});

describe.each(backends)('diagnose() (%s)', (_name, backend) => {
  const create = verifierFactory(backend);

  it('reports every rule as passed for a good token, with the verified token', async () => {
    const verifier = create({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch });
    const diagnosis = await verifier.diagnose(await entra.mint(), { scopes: ['Data.Read'] });
    expect(diagnosis.accepted).toBe(true);
    expect(diagnosis.auth?.tenantId).toBe(entra.tenantId);
    expect(diagnosis.checks.map((c) => c.outcome)).not.toContain('failed');
    expect(diagnosis.checks.map((c) => c.rule)).toEqual(['format', 'algorithm', 'not a Graph token', 'key id', 'signing key', 'signature', 'claims', 'key issuer', 'tenant', 'issuer', 'audience', 'lifetime', 'access token', 'client app', 'scope or role', 'requirement']);
  });

  it('reports every failing rule, not only the first', async () => {
    const verifier = create({ tenant: entra.tenantId, audience: 'api://other', tokenVersion: 2, fetch: entra.fetch });
    const token = await entra.mint({ version: 1, issuedAt: Math.floor(Date.now() / 1000) - 7200, scopes: [], roles: [] });
    const diagnosis = await verifier.diagnose(token, { scopes: ['Data.Read'] });
    expect(diagnosis.accepted).toBe(false);
    const failed = diagnosis.checks.filter((c) => c.outcome === 'failed').map((c) => [c.rule, c.error?.code]);
    expect(failed).toEqual([
      ['issuer', 'issuer_mismatch'],
      ['audience', 'audience_mismatch'],
      ['lifetime', 'token_expired'],
      ['scope or role', 'no_scope_or_role'],
    ]);
    expect(diagnosis.checks.at(-1)).toEqual({ rule: 'requirement', outcome: 'skipped' });
  });

  it('skips the rules that depend on a failed one', async () => {
    const verifier = create({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch });
    const rogue = await entra.createUnpublishedKey();
    const diagnosis = await verifier.diagnose(await entra.mint({ signingKey: rogue }));
    const outcome = Object.fromEntries(diagnosis.checks.map((c) => [c.rule, c.outcome]));
    expect(outcome).toMatchObject({ 'signing key': 'failed', signature: 'skipped', 'key issuer': 'skipped', tenant: 'passed', audience: 'passed' });
    const broken = await verifier.diagnose('not.a.jwt');
    expect(broken.checks.filter((c) => c.outcome !== 'skipped').map((c) => c.rule)).toEqual(['format']);
  });
});
