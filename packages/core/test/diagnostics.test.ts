// Every refusal must say what to fix. These are the cases teams hit most (core issue, "Diagnostics").
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EntraVerifierOptions } from '../src/index.js';
import { backends, manualClock, rejection, verifierFactory } from './support/backends.js';

let entra: FakeEntra;
beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read'] }, { identifierUri: 'api://legacy', accessTokenVersion: 1, scopes: ['Data.Read'] }] });
});
describe.each(backends)('hints (%s)', (_name, backend) => {
  const createEntraVerifier = verifierFactory(backend);
  const verifier = (extra: Partial<EntraVerifierOptions> = {}) =>
    createEntraVerifier({ tenant: entra.tenantId, audience: entra.api.identifierUri, fetch: entra.fetch, ...extra });

  it('v1 token where v2 is configured: names the manifest setting', async () => {
    const error = await rejection(verifier({ tokenVersion: 2 }).verify(await entra.mint({ version: 1 })));
    expect(error.code).toBe('issuer_mismatch');
    expect(error.hint).toMatch(/v1 token \(sts\.windows\.net issuer\).*accessTokenAcceptedVersion.*tokenVersion: 'any'/);
  });

  it('GUID audience where only api:// is configured: says which form and what to configure', async () => {
    const error = await rejection(verifier().verify(await entra.mint()));
    expect(error.code).toBe('audience_mismatch');
    expect(error.hint).toContain(`client id (GUID), the form v2 tokens use. Add "${entra.api.appId}" to audience, or configure clientId: "${entra.api.appId}"`);
  });

  it('api:// audience where only the GUID is configured', async () => {
    const error = await rejection(createEntraVerifier({ tenant: entra.tenantId, audience: entra.api.appId, fetch: entra.fetch }).verify(await entra.mint({ version: 1 })));
    expect(error.hint).toContain('Application ID URI, the form v1 tokens use');
  });

  it('a Microsoft Graph token: says to request the API scope', async () => {
    const error = await rejection(verifier().verify(await entra.mintGraphToken()));
    expect(error.code).toBe('graph_token');
    expect(error.hint).toContain(`scopes: ["${entra.api.identifierUri}/<scope>"]`);
  });

  it('an ID token sent as an access token', async () => {
    const error = await rejection(verifier().verify(await entra.mintIdToken()));
    expect(error.code).toBe('audience_mismatch');
    expect(error.hint).toMatch(/looks like an ID token.*Send the access token instead/);
  });

  it('a literal {tenantid} issuer', async () => {
    const error = await rejection(verifier().verify(await entra.mint({ audience: entra.api.identifierUri, claims: { iss: 'https://login.microsoftonline.com/{tenantid}/v2.0' } })));
    expect(error.hint).toContain('literal {tenantid}');
  });

  it('a key not found after rotation: says the set was refetched and what that means', async () => {
    const fake = await createFakeEntra();
    const v = createEntraVerifier({ tenant: fake.tenantId, clientId: fake.api.appId, fetch: fake.fetch });
    await v.warm();
    const rogue = await fake.createUnpublishedKey();
    const error = await rejection(v.verify(await fake.mint({ signingKey: rogue })));
    expect(error.code).toBe('signing_key_not_found');
    expect(error.hint).toMatch(/refetched at most once per 5 min.*key rollover/);
  });

  it('an app with custom signing keys: suggests appId', async () => {
    const fake = await createFakeEntra({ apis: [{ customSigningKey: true }] });
    const error = await rejection(createEntraVerifier({ tenant: fake.tenantId, clientId: fake.api.appId, fetch: fake.fetch }).verify(await fake.mint()));
    // Built from the configured client id, not a placeholder.
    expect(error.hint).toContain(`set appId: "${fake.api.appId}"`);
  });

  it('a client-credentials token without app roles', async () => {
    const error = await rejection(verifier().verify(await entra.mint({ appOnly: true, audience: entra.api.identifierUri, roles: [] })));
    expect(error.code).toBe('no_scope_or_role');
    expect(error.hint).toMatch(/client-credentials.*no roles.*Application permissions.*admin consent/);
  });

  it('a full api://…/Scope used where the short name belongs', async () => {
    const error = await rejection(verifier().verify(await entra.mint({ audience: entra.api.identifierUri }), { scopes: [`${entra.api.identifierUri}/Data.Read`] }));
    expect(error.code).toBe('insufficient_scope');
    expect(error.hint).toContain('scp holds short names such as "Data.Read"');
  });

  it('clock skew: says how far off and which clock to check', async () => {
    const clock = manualClock();
    const token = await entra.mint({ audience: entra.api.identifierUri, issuedAt: Math.floor(clock.now() / 1000) });
    clock.advance(-20 * 60_000);
    const early = await rejection(verifier({ now: clock.now }).verify(token));
    expect(early.code).toBe('token_not_yet_valid');
    expect(early.hint).toMatch(/valid in 20 minutes.*server's clock is probably behind/);
    clock.advance(3 * 3600_000);
    const late = await rejection(verifier({ now: clock.now }).verify(token));
    expect(late.hint).toMatch(/expired 100 minutes ago/);
  });

  it('a key endpoint that answers 400 (wrong tenant in the URL)', async () => {
    const error = await rejection(createEntraVerifier({ tenant: crypto.randomUUID(), clientId: entra.api.appId, fetch: entra.fetch }).verify(await entra.mint()));
    expect(error.code).toBe('keys_unavailable');
    expect(error.hint).toMatch(/answered HTTP 400.*check the tenant GUID and the cloud option/);
  });

  it('a token from another cloud: names the cloud option', async () => {
    const error = await rejection(verifier({ tokenVersion: 'any' }).verify(await entra.mint({ audience: entra.api.identifierUri, claims: { iss: `https://login.microsoftonline.us/${entra.tenantId}/v2.0` } })));
    expect(error.code).toBe('signing_key_issuer_mismatch');
    expect(error.hint).toMatch(/issuer host differs from the key's cloud/);
  });
});
