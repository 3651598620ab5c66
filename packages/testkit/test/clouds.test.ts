import { beforeAll, describe, expect, it } from 'vitest';
import { createFakeEntra, knownClouds, type FakeEntra } from '../src/index.js';
import { COMMON_V1_DISCOVERY_MEMBERS, COMMON_V2_DISCOVERY_MEMBERS } from './support/entra-captures.js';
import { decodePayload, fetchJson, verifyWithJose } from './support/verify-with-jose.js';

describe('knownClouds', () => {
  it('lists the clouds of MSAL\'s shipped metadata, including the new sovereign clouds', () => {
    expect(knownClouds.map((c) => c.authorityHost)).toEqual([
      'https://login.microsoftonline.com',
      'https://login.microsoftonline.us',
      'https://login.chinacloudapi.cn',
      'https://login.sovcloud-identity.fr',
      'https://login.sovcloud-identity.de',
      'https://login.sovcloud-identity.sg',
    ]);
  });

  it('names China\'s v2 issuer host login.partner.microsoftonline.cn, unlike its authority host', () => {
    const china = knownClouds.find((c) => c.name === 'china')!;
    expect(china.v2IssuerHost).toBe('https://login.partner.microsoftonline.cn');
    expect(china.authorityHost).toBe('https://login.chinacloudapi.cn');
    expect(china.v1IssuerHost).toBe('https://sts.chinacloudapi.cn');
  });

  it('leaves unpublished facts undefined instead of guessing them', () => {
    const france = knownClouds.find((c) => c.name === 'france')!;
    expect(france.v1IssuerHost).toBeUndefined();
    expect(france.cloudInstanceName).toBeUndefined();
  });
});

describe.each(knownClouds.map((c) => [c.name, c] as const))('the fake in the %s cloud', (_name, known) => {
  let entra: FakeEntra;
  beforeAll(async () => {
    entra = await createFakeEntra({ cloud: known.name });
  });

  it('serves discovery whose issuer and jwks_uri use the cloud\'s hosts, and tokens that verify against it', async () => {
    const doc = await fetchJson(entra, `${known.authorityHost}/${entra.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(doc.issuer).toBe(`${known.v2IssuerHost}/${entra.tenantId}/v2.0`);
    expect(doc.jwks_uri).toBe(`${known.keySetHost}/${entra.tenantId}/discovery/v2.0/keys`);
    const token = await entra.mint();
    expect(decodePayload(token).iss).toBe(doc.issuer);
    await verifyWithJose(entra, token, { issuer: String(doc.issuer), jwksUri: String(doc.jwks_uri) });
  });

  it('answers on every alias of the cloud', async () => {
    for (const alias of known.aliases) {
      expect((await entra.fetch(`${alias}/common/discovery/v2.0/keys`)).status, alias).toBe(200);
    }
  });
});

describe('discovery documents', () => {
  it('have the members, in order, of Microsoft\'s captured public documents', async () => {
    const entra = await createFakeEntra();
    const v2 = await fetchJson(entra, 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration');
    const v1 = await fetchJson(entra, 'https://login.microsoftonline.com/common/.well-known/openid-configuration');
    expect(Object.keys(v2)).toEqual(COMMON_V2_DISCOVERY_MEMBERS);
    expect(Object.keys(v1)).toEqual(COMMON_V1_DISCOVERY_MEMBERS);
  });

  it('in China, publish the partner issuer and Graph host and leave out members Microsoft does not state', async () => {
    const china = await createFakeEntra({ cloud: 'china' });
    const doc = await fetchJson(china, 'https://login.chinacloudapi.cn/common/v2.0/.well-known/openid-configuration');
    expect(doc).toMatchObject({ issuer: 'https://login.partner.microsoftonline.cn/{tenantid}/v2.0', msgraph_host: 'microsoftgraph.chinacloudapi.cn' });
    expect(doc).not.toHaveProperty('rbac_url');
  });

  it('accept the alias login.partner.microsoftonline.cn as China\'s authority (newer MSAL), with jwks_uri on it', async () => {
    const china = await createFakeEntra({ authorityHost: 'https://login.partner.microsoftonline.cn' });
    expect(china.cloud.name).toBe('china');
    const doc = await fetchJson(china, `https://login.partner.microsoftonline.cn/${china.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(doc.jwks_uri).toBe(`https://login.partner.microsoftonline.cn/${china.tenantId}/discovery/v2.0/keys`);
    expect(decodePayload(await china.mint({ version: 1 })).iss).toBe(`https://sts.chinacloudapi.cn/${china.tenantId}/`);
  });
});
