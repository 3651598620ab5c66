import { createFakeEntra } from '@entra-verify/testkit';
import { describe, expect, it } from 'vitest';
import { checkRequirement, createEntraVerifier, createRequestAuthenticator, requirementFrom } from '../src/index.js';

describe('createRequestAuthenticator()', () => {
  it('shares a given verifier, and refuses a verifier mixed with verifier options', async () => {
    const entra = await createFakeEntra();
    const verifier = createEntraVerifier({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch });
    const authenticator = createRequestAuthenticator({ verifier });
    expect(authenticator.verifier).toBe(verifier);
    const auth = await authenticator.authenticate({ authorization: `Bearer ${await entra.mint()}`, url: '/x' });
    expect(auth?.tenantId).toBe(entra.tenantId);
    expect(() => createRequestAuthenticator({ verifier, tenant: entra.tenantId } as never)).toThrow(/either \{ verifier \} or verifier options/);
  });

  it('validates its own options at start-up', () => {
    const base = { tenant: crypto.randomUUID(), audience: 'api://x' };
    expect(() => createRequestAuthenticator({ ...base, authRequired: 'no' as never })).toThrow(/authRequired must be a boolean/);
    expect(() => createRequestAuthenticator({ ...base, forwardErrors: 1 as never })).toThrow(/forwardErrors must be a boolean/);
    expect(() => createRequestAuthenticator(null as never)).toThrow(TypeError);
  });

  it('treats an absent header as anonymous only when authRequired is false', async () => {
    const base = { tenant: crypto.randomUUID(), audience: 'api://x' };
    await expect(createRequestAuthenticator({ ...base, authRequired: false }).authenticate({ authorization: undefined })).resolves.toBeUndefined();
    await expect(createRequestAuthenticator({ ...base, authRequired: false }).authenticate({ authorization: [] })).resolves.toBeUndefined();
    // An empty header: '' from fetch's Headers (Hono), [''] from Node's headersDistinct (Express, Koa).
    await expect(createRequestAuthenticator({ ...base, authRequired: false }).authenticate({ authorization: '' })).resolves.toBeUndefined();
    await expect(createRequestAuthenticator({ ...base, authRequired: false }).authenticate({ authorization: [''] })).resolves.toBeUndefined();
    await expect(createRequestAuthenticator(base).authenticate({ authorization: [''] })).rejects.toMatchObject({ code: 'missing_token' });
    await expect(createRequestAuthenticator(base).authenticate({ authorization: '' })).rejects.toMatchObject({ code: 'missing_token' });
  });

  it('forward() sets status, statusCode, headers and expose for framework handlers', () => {
    const authenticator = createRequestAuthenticator({ tenant: crypto.randomUUID(), audience: 'api://x', realm: 'r' });
    let error: unknown;
    try {
      checkRequirement(undefined, {});
    } catch (caught) {
      error = authenticator.forward(caught);
    }
    expect(error).toMatchObject({ code: 'missing_token', status: 401, statusCode: 401, expose: true, headers: { 'www-authenticate': 'Bearer realm="r"' } });
    const other = new Error('x');
    expect(authenticator.forward(other)).toBe(other);
  });

  it('requirementFrom() refuses empty guard arguments', () => {
    expect(requirementFrom('scopes', ['A'])).toEqual({ scopes: ['A'] });
    expect(() => requirementFrom('roles', [])).toThrow(/requireRoles\(\) needs at least one/);
    expect(() => requirementFrom('scopes', [''])).toThrow(TypeError);
  });
});
