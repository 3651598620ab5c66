import { ConfidentialClientApplication, PublicClientApplication } from '@azure/msal-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFakeEntra, type FakeEntra } from '../src/index.js';
import { verifyWithJose } from './support/verify-with-jose.js';

let entra: FakeEntra;
beforeAll(async () => {
  entra = await createFakeEntra({
    apis: [{ identifierUri: 'api://lab-data', scopes: ['Data.Read'], appRoles: ['Data.Read.All'] }],
    clientApps: [{ appPermissions: ['Data.Read.All'] }, { clientSecret: null, displayName: 'Lab CLI' }],
  });
});

describe('@azure/msal-node against the fake', () => {
  it('ConfidentialClientApplication acquires a client-credentials token that verifies with jose', async () => {
    const app = new ConfidentialClientApplication({
      auth: { clientId: entra.clientApp.clientId, clientSecret: entra.clientApp.clientSecret!, authority: entra.authority() },
      system: { networkClient: entra.msalNetworkClient() },
    });
    const result = await app.acquireTokenByClientCredential({ scopes: ['api://lab-data/.default'] });
    expect(result?.accessToken).toBeTruthy();
    const { payload } = await verifyWithJose(entra, result!.accessToken, { issuer: entra.issuer(2), audience: entra.api.appId });
    expect(payload).toMatchObject({ roles: ['Data.Read.All'], idtyp: 'app', tid: entra.tenantId });
    expect(entra.requests.count('token')).toBeGreaterThanOrEqual(1);
  });

  it('surfaces a wrong secret as MSAL\'s invalid_client error', async () => {
    const app = new ConfidentialClientApplication({
      auth: { clientId: entra.clientApp.clientId, clientSecret: 'wrong', authority: entra.authority() },
      system: { networkClient: entra.msalNetworkClient() },
    });
    await expect(app.acquireTokenByClientCredential({ scopes: ['api://lab-data/.default'] })).rejects.toMatchObject({
      errorCode: 'invalid_client',
      errorMessage: expect.stringContaining('AADSTS7000215'),
    });
  });

  it('PublicClientApplication completes the device-code flow unattended', async () => {
    const cli = entra.clientApps[1]!;
    const app = new PublicClientApplication({
      auth: { clientId: cli.clientId, authority: entra.authority() },
      system: { networkClient: entra.msalNetworkClient() },
    });
    const messages: string[] = [];
    const result = await app.acquireTokenByDeviceCode({
      scopes: ['api://lab-data/Data.Read'],
      deviceCodeCallback: (response) => messages.push(response.message),
    });
    expect(messages[0]).toContain('https://microsoft.com/devicelogin');
    expect(result?.account?.username).toBe(entra.user.username);
    expect(result?.scopes).toContain('api://lab-data/Data.Read');
    const { payload } = await verifyWithJose(entra, result!.accessToken, { issuer: entra.issuer(2), audience: entra.api.appId });
    expect(payload).toMatchObject({ scp: 'Data.Read', oid: entra.user.objectId, azp: cli.clientId });
  });
});
