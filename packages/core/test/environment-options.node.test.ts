// Issue #18, items 2 and 3: the request authenticator every adapter shares reads its tenant and
// audience from the environment when the options leave them out (AZURE_TENANT_ID, AZURE_CLIENT_ID,
// and the ENTRA_* names), refuses at start-up naming a missing variable, and offers exposeHints
// for development.
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRequestAuthenticator, entraOptionsFromEnvironment, type EntraVerifierEvent } from '../src/index.js';

let entra: FakeEntra;
beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read'] }] });
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('options from the environment (item 3)', () => {
  it('entraAuth() with no tenant or audience reads AZURE_TENANT_ID and AZURE_CLIENT_ID', async () => {
    vi.stubEnv('AZURE_TENANT_ID', entra.tenantId);
    vi.stubEnv('AZURE_CLIENT_ID', entra.api.appId);
    const authenticator = createRequestAuthenticator({ fetch: entra.fetch, logger: false } as never);
    const auth = await authenticator.authenticate({ authorization: `Bearer ${await entra.mint()}` });
    expect(auth?.tenantId).toBe(entra.tenantId);
  });

  it('a missing variable is a start-up TypeError that names it', () => {
    vi.stubEnv('AZURE_TENANT_ID', '');
    vi.stubEnv('AZURE_CLIENT_ID', entra.api.appId);
    expect(() => createRequestAuthenticator({ logger: false } as never)).toThrow(TypeError);
    expect(() => createRequestAuthenticator({ logger: false } as never)).toThrow(/AZURE_TENANT_ID/);
    vi.stubEnv('AZURE_TENANT_ID', entra.tenantId);
    vi.stubEnv('AZURE_CLIENT_ID', '');
    vi.stubEnv('ENTRA_AUDIENCE', '');
    expect(() => createRequestAuthenticator({ logger: false } as never)).toThrow(/AZURE_CLIENT_ID/);
  });

  it('reads the documented ENTRA_* names: audience, allowed tenants, client apps, authority, cloud', () => {
    const options = entraOptionsFromEnvironment({
      AZURE_TENANT_ID: 'organizations',
      ENTRA_AUDIENCE: 'api://lab, https://api.contoso.com/lab',
      ENTRA_ALLOWED_TENANTS: `${entra.tenantId},72f988bf-86f1-41af-91ab-2d7cd011db47`,
      ENTRA_ALLOWED_CLIENT_APPS: entra.clientApp.clientId,
      ENTRA_CLOUD: 'usgov',
    });
    expect(options).toEqual({
      tenant: 'organizations',
      audience: ['api://lab', 'https://api.contoso.com/lab'],
      allowedTenants: [entra.tenantId, '72f988bf-86f1-41af-91ab-2d7cd011db47'],
      allowedClientApps: [entra.clientApp.clientId],
      cloud: 'usgov',
    });
    expect(entraOptionsFromEnvironment({ AZURE_TENANT_ID: entra.tenantId, AZURE_CLIENT_ID: entra.api.appId, ENTRA_CLOUD: 'https://login.example.test', ENTRA_AUTHORITY: 'https://contoso.ciamlogin.com/contoso.onmicrosoft.com/v2.0' })).toEqual({
      tenant: entra.tenantId,
      clientId: entra.api.appId,
      cloud: { authorityHost: 'https://login.example.test' },
      authority: 'https://contoso.ciamlogin.com/contoso.onmicrosoft.com/v2.0',
    });
  });

  it('options given in code win over the environment, and a shared verifier reads nothing', async () => {
    vi.stubEnv('AZURE_TENANT_ID', '72f988bf-86f1-41af-91ab-2d7cd011db47');
    vi.stubEnv('AZURE_CLIENT_ID', '6e74172b-be56-4843-9ff4-e66a39bb12e3');
    const authenticator = createRequestAuthenticator({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, logger: false });
    await expect(authenticator.authenticate({ authorization: `Bearer ${await entra.mint()}` })).resolves.toMatchObject({ tenantId: entra.tenantId });
  });
});

describe('exposeHints (item 2)', () => {
  it('puts the hint (never the token) in the error body, in development', async () => {
    const authenticator = createRequestAuthenticator({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, logger: false, exposeHints: true });
    const token = await entra.mint({ issuedAt: Math.floor(Date.now() / 1000) - 7200, expiresIn: 60 });
    const error = await authenticator.authenticate({ authorization: `Bearer ${token}` }).catch((e: unknown) => e);
    const { body } = authenticator.respond(error);
    expect(body).toMatchObject({ error: 'invalid_token', hint: expect.stringMatching(/expired/) });
    expect(JSON.stringify(body)).not.toContain(token.split('.')[1]!);
  });

  it('is off by default, and refused at start-up in production', async () => {
    const authenticator = createRequestAuthenticator({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, logger: false });
    const error = await authenticator.authenticate({ authorization: 'Bearer a.b.c' }).catch((e: unknown) => e);
    expect(authenticator.respond(error).body).not.toHaveProperty('hint');
    vi.stubEnv('NODE_ENV', 'production');
    expect(() => createRequestAuthenticator({ tenant: entra.tenantId, clientId: entra.api.appId, logger: false, exposeHints: true })).toThrow(/exposeHints.*production/);
  });
});

describe('route guards emit token_rejected for 403s (item 2)', () => {
  it('require() emits insufficient_scope with the requirement and the caller', async () => {
    const events: EntraVerifierEvent[] = [];
    const authenticator = createRequestAuthenticator({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, logger: false, onEvent: (event) => void events.push(event) });
    const auth = await authenticator.authenticate({ authorization: `Bearer ${await entra.mint({ scopes: ['Other'] })}` });
    await expect(Promise.resolve().then(() => authenticator.require(auth, { scopes: ['Data.Read'] }))).rejects.toMatchObject({ code: 'insufficient_scope' });
    expect(events.filter((event) => event.type === 'token_rejected')).toEqual([
      expect.objectContaining({ code: 'insufficient_scope', status: 403, requirement: { scopes: ['Data.Read'] }, tenantId: entra.tenantId, clientAppId: entra.clientApp.clientId, claimsVerified: true }),
    ]);
  });
});
