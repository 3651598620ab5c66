// Command-line flags to verifier options and a route requirement. Usage mistakes throw
// UsageError (exit code 2) with a line that says what to type instead.
import type { AuthRequirement, CloudName, EntraVerifierOptions } from '@entra-verify/core';
import { parseArgs } from 'node:util';

export class UsageError extends Error {
  override name = 'UsageError';
}

export const DOCTOR_USAGE = `Usage: entra-verify doctor [token] [options]
  The token comes from the argument or stdin; a pasted "Bearer <token>" works too.
  Without --tenant it only decodes the token, locally (nothing is verified, nothing is fetched).
  With --tenant it verifies: online, fetching only Entra's public key set (the token is never
  sent), or offline with --jwks <file>.

  --tenant <id>               tenant GUID, common or organizations
  --audience <value>          accepted aud (repeatable)     --client-id <guid>  both aud forms
  --allowed-tenants <a,b>     for common/organizations (default: any tenant)
  --token-version <1|2|any>   --authority <url> (B2C user flow, External ID, custom)
  --cloud <public|usgov|china|bleu|delos|govsg|https://host>
  --app-id <id>               key set of an app with custom signing keys
  --allowed-client-apps <a,b> --clock-tolerance <seconds>
  --scopes <a,b>  --roles <a,b>  --app-permissions <a,b>  --match <all|any>  --auth-context <id>
  --jwks <file>               verify offline against a saved key set, {"keys": [...]} (no network)
  --decryption-key <file>     private key (PEM or JWK) that opens an encrypted (five-part) token
  --client-cert <file>        the client certificate (PEM) a certificate-bound token (cnf) needs
  --json                      machine-readable output
Exit codes: 0 accepted (or decoded), 1 refused, 2 usage error.`;

const list = (value: string | undefined) => value?.split(',').map((s) => s.trim()).filter(Boolean);

export interface DoctorRequest {
  token: string | undefined;
  json: boolean;
  jwksFile: string | undefined;
  decryptionKeyFile: string | undefined;
  clientCertFile: string | undefined;
  /** --authorities: the JSON file of several authorities (then `verifier` is undefined). */
  authoritiesFile: string | undefined;
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
        'decryption-key': { type: 'string' },
        'client-cert': { type: 'string' },
        authorities: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError('give at most one token');
  const perAuthority = ['audience', 'client-id', 'allowed-tenants', 'token-version', 'cloud', 'authority', 'app-id', 'allowed-client-apps', 'clock-tolerance'] as const;
  if (values.authorities !== undefined) {
    if (values.tenant !== undefined) throw new UsageError('--authorities replaces --tenant: put each authority\'s tenant in the file');
    const given = perAuthority.filter((name) => values[name] !== undefined);
    if (given.length) throw new UsageError(`--${given[0]} belongs to an authority: set it in the --authorities file`);
  }
  const verifying = values.tenant !== undefined || values.authorities !== undefined;
  const needsTenant = [...perAuthority, 'scopes', 'roles', 'app-permissions', 'match', 'auth-context', 'jwks', 'decryption-key', 'client-cert'] as const;
  if (!verifying) {
    const given = needsTenant.filter((name) => values[name] !== undefined);
    if (given.length) throw new UsageError(`--${given[0]} needs --tenant: name the tenant to verify against`);
  }
  if (values.tenant !== undefined && values.audience === undefined && values['client-id'] === undefined) throw new UsageError('--tenant needs --audience or --client-id: the API the token should be for');
  const tokenVersion = values['token-version'];
  if (tokenVersion !== undefined && !['1', '2', 'any'].includes(tokenVersion)) throw new UsageError('--token-version must be 1, 2 or any');
  if (values.match !== undefined && values.match !== 'all' && values.match !== 'any') throw new UsageError('--match must be all or any');
  const tolerance = values['clock-tolerance'] === undefined ? undefined : Number(values['clock-tolerance']);
  if (tolerance !== undefined && !Number.isFinite(tolerance)) throw new UsageError('--clock-tolerance must be a number of seconds');
  const cloud = values.cloud;
  const multiTenant = values.tenant === 'common' || values.tenant === 'organizations';

  const verifier: Omit<EntraVerifierOptions, 'fetch'> | undefined = values.tenant !== undefined
    ? {
        tenant: values.tenant!,
        ...(values.audience ? { audience: values.audience } : {}),
        ...(values['client-id'] ? { clientId: values['client-id'] } : {}),
        ...(multiTenant ? { allowedTenants: list(values['allowed-tenants']) ?? ['*'] } : {}),
        ...(tokenVersion ? { tokenVersion: tokenVersion === 'any' ? 'any' : (Number(tokenVersion) as 1 | 2) } : {}),
        // A name goes to core as it is (core knows the clouds and says which exist); a URL is a custom host.
        ...(cloud ? { cloud: cloud.includes('://') ? { authorityHost: cloud } : (cloud as CloudName) } : {}),
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
    decryptionKeyFile: values['decryption-key'],
    clientCertFile: values['client-cert'],
    authoritiesFile: values.authorities,
    verifier,
    requirement: Object.keys(requirement).length ? requirement : undefined,
  };
}
