// The three authorities: from real tenants (environment variables, see .env.example), or from
// fake ones on loopback (the default): a workforce tenant that also hosts the partner's tenant,
// and an External ID tenant for customers.
import type { AuthorityOptions, EntraAuthoritiesOptions } from '@entra-verify/core';
import { createFakeEntra, type FakeEntra, type ListeningFakeEntra } from '@entra-verify/testkit';

export interface SaasEnvironment {
  verifier: EntraAuthoritiesOptions;
  fake?: { workforce: FakeEntra; customers: FakeEntra; partnerTenantId: string; partnerAppId: string };
  close(): Promise<void>;
}

const list = (value: string | undefined) => value?.split(',').map((s) => s.trim()).filter(Boolean);

/**
 * Real tenants: EMPLOYEES_TENANT_ID and API_CLIENT_ID (the API's registration in the workforce
 * tenant); CUSTOMERS_TENANT_ID, CUSTOMERS_AUTHORITY (External ID: https://<name>.ciamlogin.com/<tenant-id>/v2.0;
 * B2C: https://<name>.b2clogin.com/<name>.onmicrosoft.com/<user-flow>/v2.0) and CUSTOMERS_CLIENT_ID
 * (the API's registration there); PARTNER_TENANT_IDS and PARTNER_CLIENT_APP_IDS (the partner's daemon).
 */
export function realAuthorities(env: NodeJS.ProcessEnv): AuthorityOptions[] | undefined {
  if (!env.EMPLOYEES_TENANT_ID) return undefined;
  const need = (name: string) => env[name] ?? (() => { throw new Error(`saas-api: set ${name} (see .env.example)`); })();
  return [
    { name: 'employees', tenant: env.EMPLOYEES_TENANT_ID, clientId: need('API_CLIENT_ID') },
    { name: 'customers', tenant: need('CUSTOMERS_TENANT_ID'), authority: need('CUSTOMERS_AUTHORITY'), clientId: need('CUSTOMERS_CLIENT_ID') },
    { name: 'partner', tenant: 'organizations', allowedTenants: list(need('PARTNER_TENANT_IDS'))!, clientId: need('API_CLIENT_ID'), allowedClientApps: list(need('PARTNER_CLIENT_APP_IDS'))! },
  ];
}

export async function startSaasEnvironment(env: NodeJS.ProcessEnv = process.env): Promise<SaasEnvironment> {
  const real = realAuthorities(env);
  if (real) return { verifier: { authorities: real }, close: async () => {} };
  const [workforce, customers] = await Promise.all([
    createFakeEntra({ tenants: 2, apis: [{ scopes: ['Orders.Read'], appRoles: ['Orders.Admin', 'Shipments.Write'] }], users: [{ appRoles: ['Orders.Admin'] }] }),
    createFakeEntra({ externalId: { tenantName: 'contososhop' }, apis: [{ scopes: ['Orders.Read'] }] }),
  ]);
  const servers: ListeningFakeEntra[] = await Promise.all([workforce.listen(), customers.listen()]);
  // The verifier keeps its production authorities; only its fetch goes to the loopback fakes
  // (whose discovery documents name key sets on their loopback URLs).
  const byOrigin = new Map<string, typeof globalThis.fetch>([
    [new URL(workforce.authority()).origin, servers[0]!.fetch as typeof globalThis.fetch],
    [new URL(customers.authority()).origin, servers[1]!.fetch as typeof globalThis.fetch],
    ...servers.map((server) => [new URL(server.url).origin, globalThis.fetch] as [string, typeof globalThis.fetch]),
  ]);
  const fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const route = byOrigin.get(url.origin);
    return route ? route(input, init) : Promise.reject(new TypeError(`fetch failed: ${url.origin} is not served here`));
  };
  const partnerTenantId = workforce.tenants[1]!.id;
  const partnerAppId = crypto.randomUUID();
  return {
    verifier: {
      authorities: [
        { name: 'employees', tenant: workforce.tenantId, clientId: workforce.api.appId },
        { name: 'customers', tenant: customers.tenantId, authority: customers.authority(), clientId: customers.api.appId },
        { name: 'partner', tenant: 'organizations', allowedTenants: [partnerTenantId], clientId: workforce.api.appId, allowedClientApps: [partnerAppId] },
      ],
      fetch,
    },
    fake: { workforce, customers, partnerTenantId, partnerAppId },
    close: async () => {
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}
