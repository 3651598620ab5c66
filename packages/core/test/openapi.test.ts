import { describe, expect, it } from 'vitest';
import { createEntraOpenApi } from '../src/index.js';

const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const clientId = '6e74172b-be56-4843-9ff4-e66a39bb12e3';

describe('createEntraOpenApi', () => {
  it('builds the authorization code (PKCE) scheme for the cloud and tenant', () => {
    const openapi = createEntraOpenApi({ tenant, clientId, scopes: { 'Data.Read': 'Read data' }, cloud: 'usgov' });
    expect(openapi.securitySchemes.entra!.flows.authorizationCode).toEqual({
      authorizationUrl: `https://login.microsoftonline.us/${tenant}/oauth2/v2.0/authorize`,
      tokenUrl: `https://login.microsoftonline.us/${tenant}/oauth2/v2.0/token`,
      scopes: { [`api://${clientId}/Data.Read`]: 'Read data' },
    });
    expect(openapi.securitySchemes.entra!.flows.clientCredentials).toBeUndefined();
    expect(openapi.fullScope('Data.Read')).toBe(`api://${clientId}/Data.Read`);
  });

  it('follows an authority, an App ID URI and a scheme name', () => {
    const openapi = createEntraOpenApi({ tenant, appIdUri: 'https://contoso.com/api/', authority: `https://contoso.ciamlogin.com/${tenant}/v2.0`, scopes: { Read: 'r' }, schemeName: 'aad' });
    expect(openapi.securitySchemes.aad!.flows.authorizationCode.authorizationUrl).toBe(`https://contoso.ciamlogin.com/${tenant}/oauth2/v2.0/authorize`);
    expect(openapi.securitySchemes.aad!.flows.authorizationCode.scopes).toEqual({ 'https://contoso.com/api/Read': 'r' });
    expect(openapi.operationSecurity({ scopes: ['Read'] })).toEqual({ security: [{ aad: ['https://contoso.com/api/Read'] }] });
  });

  it('derives operation security from the same requirement the guards enforce', () => {
    const openapi = createEntraOpenApi({ tenant: 'organizations', clientId, scopes: { 'Data.Read': 'r', 'Data.Write': 'w' }, clientCredentials: true });
    const api = `api://${clientId}`;
    expect(openapi.operationSecurity()).toEqual({ security: [{ entra: [] }] });
    expect(openapi.operationSecurity({ scopes: ['Data.Read', 'Data.Write'] })).toEqual({ security: [{ entra: [`${api}/Data.Read`, `${api}/Data.Write`] }], 'x-entra-match': 'all' });
    expect(openapi.operationSecurity({ scopes: ['Data.Read', 'Data.Write'], match: 'any' }).security).toEqual([{ entra: [`${api}/Data.Read`] }, { entra: [`${api}/Data.Write`] }]);
    expect(openapi.operationSecurity({ scopes: ['Data.Read'], appPermissions: ['Data.Read.All'] })).toEqual({ security: [{ entra: [`${api}/Data.Read`] }, { entra: [`${api}/.default`] }], 'x-entra-app-permissions': ['Data.Read.All'] });
    expect(openapi.operationSecurity({ appPermissions: ['Data.Read.All'] }).security).toEqual([{ entra: [`${api}/.default`] }]);
    expect(openapi.operationSecurity({ roles: ['Admin'] })).toEqual({ security: [{ entra: [] }], 'x-entra-roles': ['Admin'] });
    expect(openapi.securitySchemes.entra!.flows.authorizationCode.authorizationUrl).toBe('https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize');
  });

  it('fails at start-up on bad options and on requirements the docs do not describe', () => {
    expect(() => createEntraOpenApi({ tenant, scopes: {} })).toThrow(/clientId or appIdUri/);
    expect(() => createEntraOpenApi({ tenant, clientId, scopes: { [`api://${clientId}/Data.Read`]: 'full name' } })).toThrow(/short names/);
    expect(() => createEntraOpenApi({ tenant, clientId, scopes: {}, authority: 'http://evil.example/x' })).toThrow(/https/);
    const openapi = createEntraOpenApi({ tenant, clientId, scopes: { 'Data.Read': 'r' } });
    expect(() => openapi.operationSecurity({ scopes: ['Data.Write'] })).toThrow(/does not describe/);
    expect(() => openapi.operationSecurity({ appPermissions: ['X'] })).toThrow(/clientCredentials/);
  });
});
