// entraAuth() with no tenant or audience: the options come from the environment, with the names
// the Azure SDKs use (AZURE_TENANT_ID, AZURE_CLIENT_ID) and ENTRA_* for the rest. A variable that
// is needed and missing is a TypeError at start-up that names it.
import type { CloudName } from '../clouds.js';
import type { EntraVerifierOptions } from '../verifier/verifier-options.js';

/** The environment variables read, and the option each fills. */
export const ENVIRONMENT_VARIABLES = {
  AZURE_TENANT_ID: 'tenant',
  AZURE_CLIENT_ID: 'clientId',
  ENTRA_AUDIENCE: 'audience',
  ENTRA_ALLOWED_TENANTS: 'allowedTenants',
  ENTRA_ALLOWED_CLIENT_APPS: 'allowedClientApps',
  ENTRA_AUTHORITY: 'authority',
  ENTRA_CLOUD: 'cloud',
} as const;

/** Variables by name, as `process.env` holds them. */
type Environment = Readonly<Record<string, string | undefined>>;

/** `process.env` where there is one (Node, Bun, Deno with its Node compatibility); empty elsewhere. */
function processEnvironment(): Environment {
  return (globalThis as { process?: { env?: Environment } }).process?.env ?? {};
}

const list = (value: string) => value.split(',').map((item) => item.trim()).filter(Boolean);

/**
 * Verifier options from environment variables: `AZURE_TENANT_ID` (tenant), `AZURE_CLIENT_ID`
 * (clientId), `ENTRA_AUDIENCE` (audience, comma-separated), `ENTRA_ALLOWED_TENANTS` and
 * `ENTRA_ALLOWED_CLIENT_APPS` (comma-separated), `ENTRA_AUTHORITY` (authority), `ENTRA_CLOUD`
 * (a cloud name, or an `https://` authority host). Unset and empty variables are left out.
 */
export function entraOptionsFromEnvironment(env: Readonly<Record<string, string | undefined>> = processEnvironment()): Partial<EntraVerifierOptions> {
  const value = (name: keyof typeof ENVIRONMENT_VARIABLES) => {
    const raw = env[name]?.trim();
    return raw ? raw : undefined;
  };
  const out: Partial<EntraVerifierOptions> = {};
  const tenant = value('AZURE_TENANT_ID');
  if (tenant) out.tenant = tenant;
  const clientId = value('AZURE_CLIENT_ID');
  if (clientId) out.clientId = clientId;
  const audience = value('ENTRA_AUDIENCE');
  if (audience) out.audience = list(audience);
  const allowedTenants = value('ENTRA_ALLOWED_TENANTS');
  if (allowedTenants) out.allowedTenants = list(allowedTenants);
  const allowedClientApps = value('ENTRA_ALLOWED_CLIENT_APPS');
  if (allowedClientApps) out.allowedClientApps = list(allowedClientApps);
  const authority = value('ENTRA_AUTHORITY');
  if (authority) out.authority = authority;
  const cloud = value('ENTRA_CLOUD');
  if (cloud) out.cloud = cloud.includes('://') ? { authorityHost: cloud } : (cloud as CloudName);
  return out;
}

/**
 * Options with what the code left out read from the environment, when the code gave no tenant or
 * no audience (a fully configured entraAuth() never reads the environment). Throws a TypeError
 * naming the variable to set when the tenant or the audience is still missing.
 */
export function withEnvironment(options: Partial<EntraVerifierOptions>, env: Environment = processEnvironment()): { options: EntraVerifierOptions; read: string[] } {
  const hasAudience = options.audience !== undefined || options.clientId !== undefined;
  if (options.tenant !== undefined && hasAudience) return { options: options as EntraVerifierOptions, read: [] };
  const fromEnv = entraOptionsFromEnvironment(env);
  const merged: Partial<EntraVerifierOptions> = { ...options };
  const read: string[] = [];
  for (const [variable, option] of Object.entries(ENVIRONMENT_VARIABLES) as Array<[string, keyof typeof fromEnv]>) {
    if (fromEnv[option] === undefined || options[option] !== undefined) continue;
    // The audience comes from one place: the code's audience or clientId, or else the environment.
    if ((option === 'audience' || option === 'clientId') && hasAudience) continue;
    (merged as Record<string, unknown>)[option] = fromEnv[option];
    read.push(variable);
  }
  if (merged.tenant === undefined) {
    throw new TypeError('entra-verify: no tenant: pass { tenant } or set AZURE_TENANT_ID to your Directory (tenant) ID (App registrations > your API > Overview; "organizations" or "common" with ENTRA_ALLOWED_TENANTS for a multi-tenant API)');
  }
  if (merged.audience === undefined && merged.clientId === undefined) {
    throw new TypeError('entra-verify: no audience: pass { clientId } (or { audience }) or set AZURE_CLIENT_ID to your API\'s Application (client) ID (or ENTRA_AUDIENCE to the accepted aud values, comma-separated)');
  }
  return { options: merged as EntraVerifierOptions, read };
}
