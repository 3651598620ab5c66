// ID tokens as Entra issues them to a client app. Claim sets follow
// https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference: `aud` is the
// client's id, `nonce` echoes the sign-in request, and there is no `azp`/`appid`, `scp` or `roles`
// (those belong to access tokens).
import { pairwiseSubject } from './claims.js';
import { issuerFor, type FakeCloud } from './cloud.js';
import type { FakeClientApp, FakeUser } from './directory.js';
import { signRs256 } from './jws.js';
import type { FakeSigningKey } from './signing-key.js';

/** What `entra.mintIdToken(options)` puts in an ID token; every field has a default. */
export interface IdTokenOptions {
  /** `ver` 1.0 (issuer on sts.windows.net, `upn`, `unique_name`) or 2.0. Default 2. */
  version?: 1 | 2;
  /** Default: the fake's first tenant. */
  tenantId?: string;
  /** The client app the token is for (`aud`). Default: the first client app. */
  clientAppId?: string;
  /** The `nonce` the client sent. Default: a random one. */
  nonce?: string;
  /** Epoch seconds. Default: now. */
  issuedAt?: number;
}

export interface IdTokenInput {
  cloud: FakeCloud;
  version: 1 | 2;
  tenantId: string;
  client: FakeClientApp;
  user: FakeUser;
  /** The sign-in request's nonce; no claim when the request had none. */
  nonce: string | undefined;
  issuedAt: number;
  key: FakeSigningKey;
  /** The sign-in session (`sid`); stable across the tokens of one session. */
  sessionId?: string | undefined;
}

const opaque = () => crypto.randomUUID().replace(/-/g, '');

export async function signIdToken(input: IdTokenInput): Promise<string> {
  const { cloud, version, tenantId, client, user, issuedAt: iat, key } = input;
  // `sub` is pairwise: the same for this user and this app every time, different in other apps.
  const sub = await pairwiseSubject(user.objectId, client.clientId);
  const sid = input.sessionId ?? crypto.randomUUID();
  const nonceClaim = input.nonce === undefined ? {} : { nonce: input.nonce };
  const common = {
    aud: client.clientId,
    iss: issuerFor(cloud, version, tenantId),
    iat,
    nbf: iat,
    exp: iat + 3600,
  };
  // v1: amr, family_name, given_name, ipaddr, unique_name, upn; v2: preferred_username (reference tables).
  const perVersion =
    version === 1
      ? { amr: ['pwd'], family_name: user.familyName, given_name: user.givenName, ipaddr: '203.0.113.10', name: user.name, ...nonceClaim, oid: user.objectId, rh: '0.AAAA.', sid, sub, tid: tenantId, unique_name: user.username, upn: user.username, uti: opaque().slice(0, 22), ver: '1.0' }
      : { aio: opaque(), name: user.name, ...nonceClaim, oid: user.objectId, preferred_username: user.username, rh: '0.AAAA.', sid, sub, tid: tenantId, uti: opaque().slice(0, 22), ver: '2.0' };
  const header = version === 1 ? { typ: 'JWT', alg: 'RS256', x5t: key.x5t, kid: key.kid } : { typ: 'JWT', alg: 'RS256', kid: key.kid };
  return signRs256(header, { ...common, ...perVersion }, key.privateKey);
}
