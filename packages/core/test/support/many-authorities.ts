// Four authorities behind one fetch, as one API in production reaches four hosts: a workforce
// tenant (public cloud), an Azure AD B2C user flow, an External ID tenant and a US Government tenant.
import { createFakeB2C, createFakeEntra, type FakeB2C, type FakeEntra } from '@entra-verify/testkit';
import type { AuthorityOptions } from '../../src/index.js';

export interface FourAuthorities {
  work: FakeEntra;
  b2c: FakeB2C;
  ciam: FakeEntra;
  gov: FakeEntra;
  /** Routes each request to the fake that serves its host; other hosts fail like a network error. */
  fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  /** The four authorities: employees, customers (B2C), shoppers (External ID), agency (usgov). */
  authorities: AuthorityOptions[];
}

export async function fourAuthorities(): Promise<FourAuthorities> {
  const [work, b2c, ciam, gov] = await Promise.all([
    createFakeEntra({ apis: [{ scopes: ['Orders.Read'], appRoles: ['Orders.Admin'] }] }),
    createFakeB2C({ tenantName: 'contosob2c', policies: ['B2C_1_susi'] }),
    createFakeEntra({ externalId: { tenantName: 'contoso' } }),
    createFakeEntra({ cloud: 'usgov' }),
  ]);
  const byOrigin = new Map<string, FakeEntra['fetch']>([
    [new URL(work.authority()).origin, work.fetch],
    [b2c.host, b2c.fetch],
    [new URL(ciam.authority()).origin, ciam.fetch],
    [new URL(gov.authority()).origin, gov.fetch],
  ]);
  const fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const handler = byOrigin.get(url.origin);
    return handler ? handler(input, init) : Promise.reject(new TypeError(`fetch failed: no route to ${url.origin}`));
  };
  const authorities: AuthorityOptions[] = [
    { name: 'employees', tenant: work.tenantId, clientId: work.api.appId },
    { name: 'customers', tenant: b2c.tenantId, authority: b2c.authority('B2C_1_susi'), audience: b2c.apiAppId },
    { name: 'shoppers', tenant: ciam.tenantId, authority: ciam.authority(), clientId: ciam.api.appId },
    { name: 'agency', tenant: gov.tenantId, cloud: 'usgov', clientId: gov.api.appId },
  ];
  return { work, b2c, ciam, gov, fetch, authorities };
}
