import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { backends, verifierFactory } from './support/backends.js';

let entra: FakeEntra;
let second: string;
beforeAll(async () => {
  entra = await createFakeEntra({
    tenants: 2,
    apis: [
      { scopes: ['Data.Read', 'Data.Write'], appRoles: ['Data.Read.All'] },
      { identifierUri: 'api://legacy', accessTokenVersion: 1, scopes: ['user_impersonation'] },
    ],
    clientApps: [{ appPermissions: ['Data.Read.All'] }],
  });
  second = entra.tenants[1]!.id;
});

describe.each(backends)('valid tokens are accepted (%s)', (_name, backend) => {
  const create = verifierFactory(backend);
  const single = () => create({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch });

  it('a v2 delegated token, with the principal, scopes and version described', async () => {
    const auth = await single().verify(await entra.mint({ scopes: ['Data.Read', 'Data.Write'] }), { scopes: ['Data.Read'] });
    expect(auth.tokenVersion).toBe(2);
    expect(auth.tenantId).toBe(entra.tenantId);
    expect(auth.scopes).toEqual(['Data.Read', 'Data.Write']);
    expect(auth.principal).toEqual({
      type: 'user',
      objectId: entra.user.objectId,
      clientAppId: entra.clientApp.clientId,
      name: entra.user.name,
      username: entra.user.username,
      guest: false,
    });
    expect(auth.header.kid).toBe(entra.keys.current.kid);
    expect(Object.isFrozen(auth)).toBe(true);
  });

  it('a v1 delegated token with the Application ID URI audience', async () => {
    const verifier = create({ tenant: entra.tenantId, audience: 'api://legacy', fetch: entra.fetch });
    const auth = await verifier.verify(await entra.mint({ api: 'api://legacy' }));
    expect(auth.tokenVersion).toBe(1);
    expect(auth.principal).toMatchObject({ type: 'user', clientAppId: entra.clientApp.clientId, username: entra.user.username });
    expect(auth.scopes).toEqual(['user_impersonation']);
  });

  it('a v2 app-only token, authorized by app permission', async () => {
    const auth = await single().verify(await entra.mint({ appOnly: true }), { scopes: ['Data.Read'], appPermissions: ['Data.Read.All'] });
    expect(auth.principal).toMatchObject({ type: 'app', objectId: entra.clientApp.servicePrincipalId, clientAppId: entra.clientApp.clientId });
    expect(auth.roles).toEqual(['Data.Read.All']);
    expect(auth.scopes).toEqual([]);
  });

  it('a v1 app-only token without idtyp, detected by oid === sub and no scp', async () => {
    const token = await entra.mint({ appOnly: true, version: 1, claims: { idtyp: undefined } });
    const auth = await single().verify(token);
    expect(auth.principal.type).toBe('app');
    expect(auth.tokenVersion).toBe(1);
  });

  it('multi-tenant: tokens from every allowed tenant, by list, by callback and by "*"', async () => {
    const byList = create({ tenant: 'organizations', clientId: entra.api.appId, allowedTenants: [entra.tenantId, second], fetch: entra.fetch });
    const seen: string[] = [];
    const byCallback = create({ tenant: 'common', clientId: entra.api.appId, allowedTenants: async (tid) => (seen.push(tid), tid === second), fetch: entra.fetch });
    const anyTenant = create({ tenant: 'common', clientId: entra.api.appId, allowedTenants: ['*'], fetch: entra.fetch });
    for (const tenantId of [entra.tenantId, second]) {
      expect((await byList.verify(await entra.mint({ tenantId }))).tenantId).toBe(tenantId);
    }
    expect((await byCallback.verify(await entra.mint({ tenantId: second }))).tenantId).toBe(second);
    expect(seen).toEqual([second]);
    const stranger = crypto.randomUUID();
    expect((await anyTenant.verify(await entra.mint({ tenantId: stranger, version: 1 }))).tenantId).toBe(stranger);
    expect(entra.requests.byPath()).toHaveProperty(['/common/discovery/v2.0/keys']);
  });

  it.each([
    ['usgov', 'https://login.microsoftonline.us'],
    ['china', 'https://login.chinacloudapi.cn'],
  ] as const)('sovereign cloud %s: v1 and v2 tokens', async (cloud, authorityHost) => {
    const fake = await createFakeEntra({ authorityHost });
    const verifier = create({ tenant: fake.tenantId, clientId: fake.api.appId, cloud, fetch: fake.fetch });
    expect((await verifier.verify(await fake.mint())).tokenVersion).toBe(2);
    expect((await verifier.verify(await fake.mint({ version: 1 }))).tokenVersion).toBe(1);
  });

  it('a custom authority host (a local fake on loopback, http allowed there)', async () => {
    const fake = await createFakeEntra({ authorityHost: 'http://127.0.0.1:8400' });
    const verifier = create({ tenant: fake.tenantId, clientId: fake.api.appId, cloud: { authorityHost: 'http://127.0.0.1:8400' }, fetch: fake.fetch });
    expect((await verifier.verify(await fake.mint())).tenantId).toBe(fake.tenantId);
  });

  it('a token signed by the previous key during rollover', async () => {
    const fake = await createFakeEntra();
    const old = fake.keys.current;
    await fake.rotate();
    const verifier = create({ tenant: fake.tenantId, clientId: fake.api.appId, fetch: fake.fetch });
    await verifier.verify(await fake.mint());
    await verifier.verify(await fake.mint({ kid: old.kid }));
    expect(fake.requests.count('keys')).toBe(1);
  });

  it('an aud array that contains the API', async () => {
    const token = await entra.mint({ claims: { aud: ['https://other', entra.api.appId] } });
    await expect(single().verify(token)).resolves.toBeDefined();
  });

  it('requireScopeOrRole: false lets a token without scp or roles through', async () => {
    const verifier = create({ tenant: entra.tenantId, clientId: entra.api.appId, requireScopeOrRole: false, fetch: entra.fetch });
    const auth = await verifier.verify(await entra.mint({ scopes: [], roles: [] }));
    expect(auth.scopes).toEqual([]);
  });

  it('allowedClientApps accepts listed clients (azp in v2, appid in v1)', async () => {
    const verifier = create({ tenant: entra.tenantId, audience: [entra.api.appId, 'api://legacy'], allowedClientApps: [entra.clientApp.clientId], fetch: entra.fetch });
    await verifier.verify(await entra.mint());
    await verifier.verify(await entra.mint({ api: 'api://legacy' }));
  });

  it('within the clock tolerance: expired 4 minutes ago, valid from 4 minutes ahead', async () => {
    const now = Math.floor(Date.now() / 1000);
    await single().verify(await entra.mint({ issuedAt: now - 3840, expiresIn: 3600 }));
    await single().verify(await entra.mint({ notBefore: now + 240 }));
  });
});
