import { describe, expect, it } from 'vitest';
import { createEntraVerifier, type EntraVerifierOptions } from '../src/index.js';

const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const clientId = '6e74172b-be56-4843-9ff4-e66a39bb12e3';
const build = (options: Partial<EntraVerifierOptions>) => () => createEntraVerifier(options as EntraVerifierOptions);

describe('options are validated when the verifier is created', () => {
  it('accepts the documented shapes', () => {
    expect(build({ tenant, audience: 'api://x' })).not.toThrow();
    expect(build({ tenant: tenant.toUpperCase(), clientId })).not.toThrow();
    expect(build({ tenant: 'common', audience: ['api://x', clientId], allowedTenants: ['*'] })).not.toThrow();
    expect(build({ tenant: 'organizations', clientId, allowedTenants: () => true, cloud: 'usgov', tokenVersion: 2 })).not.toThrow();
    expect(build({ tenant, clientId, cloud: { authorityHost: 'http://127.0.0.1:8400' } })).not.toThrow();
    expect(build({ tenant, clientId, authority: 'https://contoso.ciamlogin.com/contoso.onmicrosoft.com/v2.0' })).not.toThrow();
    expect(build({ tenant, clientId, resultCache: false, jwks: { timeoutMs: 1000 } })).not.toThrow();
  });

  it.each([
    ['no tenant', { audience: 'api://x' }, /"tenant" is required/],
    ['a domain name as tenant', { tenant: 'contoso.onmicrosoft.com', audience: 'api://x' }, /must be a tenant GUID.*domain names/],
    ['consumers', { tenant: 'consumers', audience: 'api://x' }, /not supported for APIs/],
    ['no audience', { tenant }, /"audience" \(or "clientId"\) is required/],
    ['an empty audience list', { tenant, audience: [] }, /audience must be a non-empty/],
    ['a clientId that is not a GUID', { tenant, clientId: 'api://x' }, /clientId must be the API's application \(client\) GUID/],
    ['common without allowedTenants', { tenant: 'common', audience: 'api://x' }, /"allowedTenants" is required/],
    ['organizations with an empty list', { tenant: 'organizations', audience: 'api://x', allowedTenants: [] }, /non-empty array/],
    ['"*" mixed with tenants', { tenant: 'common', audience: 'api://x', allowedTenants: ['*', tenant] }, /do not combine/],
    ['allowedTenants with a non-GUID', { tenant: 'common', audience: 'api://x', allowedTenants: ['contoso.com'] }, /must hold tenant GUIDs/],
    ['allowedTenants on a single tenant', { tenant, audience: 'api://x', allowedTenants: [tenant] }, /applies to tenant "common" or "organizations" only/],
    ['an http authority host', { tenant, clientId, cloud: { authorityHost: 'http://login.example.com' } }, /must use https/],
    ['an http discovery authority', { tenant, clientId, authority: 'http://contoso.b2clogin.com/x' }, /must use https/],
    ['an unknown cloud', { tenant, clientId, cloud: 'germany' }, /cloud must be/],
    ['a bad tokenVersion', { tenant, clientId, tokenVersion: 3 }, /tokenVersion must be 1, 2 or "any"/],
    ['HS256 in algorithms', { tenant, clientId, algorithms: ['HS256'] }, /HMAC and "none" are never accepted/],
    ['a negative tolerance', { tenant, clientId, clockToleranceSeconds: -1 }, /between 0 and 3600/],
    ['a misspelled option', { tenant, clientId, audiences: ['api://x'] }, /unknown option "audiences"/],
    ['an unknown jwks option', { tenant, clientId, jwks: { refresh: 1 } }, /unknown jwks option "refresh"/],
    ['a zero timeout', { tenant, clientId, jwks: { timeoutMs: 0 } }, /jwks.timeoutMs must be a positive number/],
    ['a result cache without size', { tenant, clientId, resultCache: {} }, /resultCache must be false or/],
    ['a result cache of 0 bytes', { tenant, clientId, resultCache: { maxBytes: 0 } }, /maxBytes is 0/],
    ['a result cache with an unknown bound', { tenant, clientId, resultCache: { maxEntry: 10 } }, /unknown "maxEntry"/],
    ['an unknown offload mode', { tenant, clientId, offload: 'threads' }, /offload must be 'off' or 'auto', got "threads"/],
    ['a fetch that is not a function', { tenant, clientId, fetch: 'nope' }, /fetch must be a function/],
  ])('throws a TypeError for %s', (_case, options, message) => {
    expect(build(options as Partial<EntraVerifierOptions>)).toThrow(TypeError);
    expect(build(options as Partial<EntraVerifierOptions>)).toThrow(message);
  });
});
