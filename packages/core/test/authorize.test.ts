import { describe, expect, it } from 'vitest';
import { authorize, EntraAuthError, toHttpError, type AuthRequirement, type VerifiedAccessToken } from '../src/index.js';

function token(kind: 'user' | 'app', scopes: string[], roles: string[], acrs?: string[]): VerifiedAccessToken {
  return {
    claims: { aud: 'api://x', iss: 'https://login.microsoftonline.com/t/v2.0', exp: 0, tid: 't', ver: '2.0', ...(acrs ? { acrs } : {}) },
    header: { alg: 'RS256' },
    tokenVersion: 2,
    tenantId: 't',
    principal: { type: kind, objectId: 'o', clientAppId: 'c', guest: false },
    scopes,
    roles,
    token: 'header.payload.signature',
  };
}

const refusal = (auth: VerifiedAccessToken, requirement: AuthRequirement): EntraAuthError => {
  try {
    authorize(auth, requirement);
  } catch (error) {
    return error as EntraAuthError;
  }
  throw new Error('expected authorize to refuse');
};

const user = token('user', ['Data.Read', 'Data.Write'], ['Reader']);
const daemon = token('app', [], ['Data.Read.All']);

describe('authorize()', () => {
  it('passes with no requirement', () => {
    expect(() => authorize(user)).not.toThrow();
    expect(() => authorize(daemon, {})).not.toThrow();
  });

  it('checks delegated scopes exactly, all by default', () => {
    expect(() => authorize(user, { scopes: ['Data.Read', 'Data.Write'] })).not.toThrow();
    const error = refusal(user, { scopes: ['Data.Read', 'Admin'] });
    expect(error.code).toBe('insufficient_scope');
    expect(error.status).toBe(403);
    expect(error.requiredScopes).toEqual(['Data.Read', 'Admin']);
    expect(refusal(user, { scopes: ['data.read'] }).code).toBe('insufficient_scope');
  });

  it('match: "any" needs one of the listed scopes or roles', () => {
    expect(() => authorize(user, { scopes: ['Admin', 'Data.Write'], match: 'any' })).not.toThrow();
    expect(() => authorize(user, { roles: ['Writer', 'Reader'], match: 'any' })).not.toThrow();
    expect(refusal(user, { scopes: ['Admin', 'Root'], match: 'any' }).code).toBe('insufficient_scope');
  });

  it('checks roles for users and apps', () => {
    expect(() => authorize(user, { roles: ['Reader'] })).not.toThrow();
    expect(() => authorize(daemon, { roles: ['Data.Read.All'] })).not.toThrow();
    expect(refusal(user, { roles: ['Writer'] }).hint).toMatch(/Enterprise applications/);
    expect(refusal(daemon, { roles: ['Writer'] }).hint).toMatch(/admin consent/);
  });

  it('lets users in by scope and apps by app permission (RequiredScopeOrAppPermission)', () => {
    const requirement = { scopes: ['Data.Read'], appPermissions: ['Data.Read.All'] };
    expect(() => authorize(user, requirement)).not.toThrow();
    expect(() => authorize(daemon, requirement)).not.toThrow();
    expect(refusal(token('app', [], ['Other']), requirement).code).toBe('insufficient_scope');
    expect(refusal(token('user', ['Other'], ['Data.Read.All']), requirement).code).toBe('insufficient_scope');
  });

  it('refuses app-only tokens on scope-only routes, and users on app-only routes, with a hint', () => {
    expect(refusal(daemon, { scopes: ['Data.Read'] }).hint).toMatch(/app-only .*no scp.*appPermissions/);
    expect(refusal(user, { appPermissions: ['Data.Read.All'] }).hint).toMatch(/only app-only tokens/);
  });

  it('hints at short scope names when the requirement uses the full api:// form', () => {
    expect(refusal(user, { scopes: ['api://x/Data.Read'] }).hint).toContain('require that instead of "api://x/Data.Read"');
  });

  it('requires an authentication context with a claims challenge (insufficient_claims)', () => {
    expect(() => authorize(token('user', ['Data.Read'], [], ['c1', 'c2']), { authContext: 'c1' })).not.toThrow();
    const error = refusal(token('user', ['Data.Read'], [], ['c2']), { scopes: ['Data.Read'], authContext: 'c1' });
    expect(error.code).toBe('insufficient_claims');
    expect(error.status).toBe(401);
    expect(JSON.parse(atob(error.claimsChallenge!))).toEqual({ access_token: { acrs: { essential: true, value: 'c1' } } });
    const http = toHttpError(error);
    expect(http.status).toBe(401);
    expect(http.headers['www-authenticate']).toMatch(/^Bearer error="insufficient_claims", error_description=".+", claims="[A-Za-z0-9+/=]+"$/);
  });
});
