// Every example runs against the fake Entra ID by default, and against a real tenant when its
// environment variables are set. This is the one place that decides which.
import type { EntraVerifierOptions } from '@entra-verify/core';
import { createFakeEntra, type FakeApiOptions, type FakeClientAppOptions, type FakeEntra, type ListeningFakeEntra } from '@entra-verify/testkit';

export interface ExampleRegistration {
  /** The API's delegated scopes and app roles, as you would define them in the app registration. */
  api: FakeApiOptions;
  /** Client apps the fake knows (confidential daemons, public CLIs). */
  clientApps?: FakeClientAppOptions[];
  /** How many tenants the fake hosts (multi-tenant examples use two). */
  tenants?: number;
}

export type EntraEnvironment =
  | { kind: 'real'; verifier: EntraVerifierOptions; close(): Promise<void> }
  | { kind: 'fake'; verifier: EntraVerifierOptions; entra: FakeEntra; server: ListeningFakeEntra; close(): Promise<void> };

const list = (value: string | undefined) => value?.split(',').map((s) => s.trim()).filter(Boolean);

/**
 * Real tenant: TENANT_ID plus API_CLIENT_ID (accepts both audience forms) or API_AUDIENCE
 * (comma-separated); ALLOWED_TENANTS for `common`/`organizations`; ALLOWED_CLIENT_APPS.
 */
export function realTenantOptions(env: NodeJS.ProcessEnv): EntraVerifierOptions | undefined {
  if (!env.TENANT_ID) return undefined;
  const audience = list(env.API_AUDIENCE);
  const allowedTenants = list(env.ALLOWED_TENANTS);
  const allowedClientApps = list(env.ALLOWED_CLIENT_APPS);
  return {
    tenant: env.TENANT_ID,
    ...(env.API_CLIENT_ID ? { clientId: env.API_CLIENT_ID } : {}),
    ...(audience ? { audience } : {}),
    ...(allowedTenants ? { allowedTenants } : {}),
    ...(allowedClientApps ? { allowedClientApps } : {}),
  };
}

/**
 * The verifier options for this run: a real tenant from the environment, else a fake Entra ID
 * served on 127.0.0.1. The API keeps its production configuration (tenant, clientId); only its
 * fetch goes to the loopback fake, over real HTTP.
 */
export async function startEntraEnvironment(registration: ExampleRegistration, env: NodeJS.ProcessEnv = process.env): Promise<EntraEnvironment> {
  const real = realTenantOptions(env);
  if (real) return { kind: 'real', verifier: real, close: async () => {} };
  const entra = await createFakeEntra({
    tenants: registration.tenants ?? 1,
    apis: [registration.api],
    ...(registration.clientApps ? { clientApps: registration.clientApps } : {}),
  });
  const server = await entra.listen();
  return {
    kind: 'fake',
    verifier: { tenant: entra.tenantId, clientId: entra.api.appId, fetch: server.fetch },
    entra,
    server,
    close: () => server.close(),
  };
}

/** The fake environment only, whatever the process environment says: for tests and the demo. */
export async function startFakeEntraEnvironment(registration: ExampleRegistration): Promise<Extract<EntraEnvironment, { kind: 'fake' }>> {
  const environment = await startEntraEnvironment(registration, {});
  if (environment.kind !== 'fake') throw new Error('expected the fake Entra ID');
  return environment;
}
