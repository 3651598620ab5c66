// Command-line flags to verifier options and a route requirement. Usage mistakes throw
// UsageError (exit code 2) with a line that says what to type instead.
import type { AuthRequirement, EntraVerifierOptions } from '@entra-verify/core';
import { parseArgs } from 'node:util';

export class UsageError extends Error {
  override name = 'UsageError';
}

export const DOCTOR_USAGE = `Usage: entra-verify doctor [token] [options]
  The token comes from the argument or stdin; a pasted "Bearer <token>" works too.
  Without --tenant it only decodes the token (nothing is verified).

  --tenant <id>               tenant GUID, common or organizations
  --audience <value>          accepted aud (repeatable)     --client-id <guid>  both aud forms
  --allowed-tenants <a,b>     for common/organizations (default: any tenant)
  --token-version <1|2|any>   --cloud <public|usgov|china|https://host>   --authority <url>
  --app-id <id>               key set of an app with custom signing keys
  --allowed-client-apps <a,b> --clock-tolerance <seconds>
  --scopes <a,b>  --roles <a,b>  --app-permissions <a,b>  --match <all|any>  --auth-context <id>
  --jwks <file>               verify offline against a saved key set (no network at all)
  --json                      machine-readable output
Exit codes: 0 accepted (or decoded), 1 refused, 2 usage error.`;

const list = (value: string | undefined) => value?.split(',').map((s) => s.trim()).filter(Boolean);

export interface DoctorRequest {
  token: string | undefined;
  json: boolean;
  jwksFile: string | undefined;
  verifier: Omit<EntraVerifierOptions, 'fetch'> | undefined;
  requirement: AuthRequirement | undefined;
}

export function parseDoctorArgs(argv: string[]): DoctorRequest {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        tenant: { type: 'string' },
        audience: { type: 'string', multiple: true },
        'client-id': { type: 'string' },
        'allowed-tenants': { type: 'string' },
        'token-version': { type: 'string' },
        cloud: { type: 'string' },
        authority: { type: 'string' },
        'app-id': { type: 'string' },
        'allowed-client-apps': { type: 'string' },
        'clock-tolerance': { type: 'string' },
        scopes: { type: 'string' },
        roles: { type: 'string' },
        'app-permissions': { type: 'string' },
        match: { type: 'string' },
        'auth-context': { type: 'string' },
        jwks: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError('give at most one token');
  const verifying = values.tenant !== undefined;
  const needsTenant = ['audience', 'client-id', 'allowed-tenants', 'token-version', 'cloud', 'authority', 'app-id', 'allowed-client-apps', 'clock-tolerance', 'scopes', 'roles', 'app-permissions', 'match', 'auth-context', 'jwks'] as const;
  if (!verifying) {
    const given = needsTenant.filter((name) => values[name] !== undefined);
    if (given.length) throw new UsageError(`--${given[0]} needs --tenant: name the tenant to verify against`);
  }
  if (verifying && values.audience === undefined && values['client-id'] === undefined) throw new UsageError('--tenant needs --audience or --client-id: the API the token should be for');
  const tokenVersion = values['token-version'];
  if (tokenVersion !== undefined && !['1', '2', 'any'].includes(tokenVersion)) throw new UsageError('--token-version must be 1, 2 or any');
  if (values.match !== undefined && values.match !== 'all' && values.match !== 'any') throw new UsageError('--match must be all or any');
  const tolerance = values['clock-tolerance'] === undefined ? undefined : Number(values['clock-tolerance']);
  if (tolerance !== undefined && !Number.isFinite(tolerance)) throw new UsageError('--clock-tolerance must be a number of seconds');
  const cloud = values.cloud;
  const multiTenant = values.tenant === 'common' || values.tenant === 'organizations';

  const verifier: Omit<EntraVerifierOptions, 'fetch'> | undefined = verifying
    ? {
        tenant: values.tenant!,
        ...(values.audience ? { audience: values.audience } : {}),
        ...(values['client-id'] ? { clientId: values['client-id'] } : {}),
        ...(multiTenant ? { allowedTenants: list(values['allowed-tenants']) ?? ['*'] } : {}),
        ...(tokenVersion ? { tokenVersion: tokenVersion === 'any' ? 'any' : (Number(tokenVersion) as 1 | 2) } : {}),
        ...(cloud ? { cloud: cloud === 'public' || cloud === 'usgov' || cloud === 'china' ? cloud : { authorityHost: cloud } } : {}),
        ...(values.authority ? { authority: values.authority } : {}),
        ...(values['app-id'] ? { appId: values['app-id'] } : {}),
        ...(values['allowed-client-apps'] ? { allowedClientApps: list(values['allowed-client-apps'])! } : {}),
        ...(tolerance !== undefined ? { clockToleranceSeconds: tolerance } : {}),
        resultCache: false,
      }
    : undefined;
  const requirement: AuthRequirement = {
    ...(values.scopes ? { scopes: list(values.scopes)! } : {}),
    ...(values.roles ? { roles: list(values.roles)! } : {}),
    ...(values['app-permissions'] ? { appPermissions: list(values['app-permissions'])! } : {}),
    ...(values.match ? { match: values.match as 'all' | 'any' } : {}),
    ...(values['auth-context'] ? { authContext: values['auth-context'] } : {}),
  };
  return {
    token: positionals[0],
    json: values.json ?? false,
    jwksFile: values.jwks,
    verifier,
    requirement: Object.keys(requirement).length ? requirement : undefined,
  };
}
