// Realistic Entra access token claim sets (v1 and v2, delegated and app-only).
// Shapes follow Microsoft's access token claims reference; values are random but plausible.
import { base64url } from 'jose';
import { issuerFor, type FakeCloud } from './cloud.js';
import type { FakeApi, FakeClientApp, FakeUser } from './directory.js';

/** A claim set, by claim name. */
export type Claims = Record<string, unknown>;

export interface ClaimSetInput {
  cloud: FakeCloud;
  version: 1 | 2;
  tenantId: string;
  api: FakeApi;
  audience: string;
  client: FakeClientApp;
  user: FakeUser;
  appOnly: boolean;
  scopes: string[];
  roles: string[];
  issuedAt: number;
  notBefore: number;
  expiresAt: number;
}

/** Opaque Entra-internal claims (`aio`, `rh`, `uti`): random strings of the usual length. */
function opaque(bytes: number): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** Pairwise `sub`: stable per user and app, different across apps, as in Entra. */
export async function pairwiseSubject(userId: string, appId: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${userId}|${appId}`));
  return base64url.encode(new Uint8Array(digest).subarray(0, 32));
}

/** `azpacr` / `appidacr` (access token claims reference): 0 public client, 1 secret, 2 certificate. */
const authenticationClass = (client: FakeClientApp): string => (client.clientSecret ? '1' : client.certificates?.length ? '2' : '0');

export async function buildClaims(input: ClaimSetInput): Promise<Claims> {
  const { cloud, version, tenantId, client, user, appOnly } = input;
  const common: Claims = {
    aud: input.audience,
    iss: issuerFor(cloud, version, tenantId),
    iat: input.issuedAt,
    nbf: input.notBefore,
    exp: input.expiresAt,
    aio: opaque(48),
  };
  const identity: Claims = appOnly
    ? { idtyp: 'app', oid: client.servicePrincipalId, sub: client.servicePrincipalId }
    : {
        name: user.name,
        oid: user.objectId,
        sub: await pairwiseSubject(user.objectId, input.api.appId),
      };
  const grants: Claims = {};
  if (!appOnly && input.scopes.length > 0) grants.scp = input.scopes.join(' ');
  if (input.roles.length > 0) grants.roles = [...input.roles];
  const tail: Claims = { rh: `0.${opaque(60)}.`, tid: tenantId, uti: opaque(16), ver: version === 1 ? '1.0' : '2.0' };

  if (version === 1) {
    const v1Client: Claims = { appid: client.clientId, appidacr: authenticationClass(client) };
    const v1User: Claims = appOnly
      ? { idp: issuerFor(cloud, 1, tenantId) }
      : {
          acr: '1',
          amr: ['pwd'],
          family_name: user.familyName,
          given_name: user.givenName,
          ipaddr: '203.0.113.10',
          unique_name: user.username,
          upn: user.username,
        };
    return { ...common, ...v1User, ...v1Client, ...identity, ...grants, ...tail };
  }
  const v2Client: Claims = { azp: client.clientId, azpacr: authenticationClass(client) };
  const v2User: Claims = appOnly ? {} : { preferred_username: user.username };
  return { ...common, ...v2Client, ...identity, ...v2User, ...grants, ...tail };
}

/** Apply overrides; a value of `undefined` removes the claim. */
export function applyOverrides(base: Claims, overrides: Claims | undefined): Claims {
  const out: Claims = { ...base };
  for (const [name, value] of Object.entries(overrides ?? {})) {
    if (value === undefined) delete out[name];
    else out[name] = value;
  }
  return out;
}
