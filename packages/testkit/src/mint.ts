// Turning mint options into a signed (and, for APIs with an encryption key, encrypted) token:
// defaults come from the fake's directory.
import { base64url } from 'jose';
import { applyOverrides, buildClaims, type Claims } from './claims.js';
import type { FakeCloud } from './cloud.js';
import { createClientApp, grantsFor, type FakeApi, type FakeClientApp, type FakeUser } from './directory.js';
import { encryptToken } from './encryption-key.js';
import { signRs256, type JsonObject } from './jws.js';
import { PERSONAL_ACCOUNT_TENANT_ID } from './personal-accounts.js';
import type { FakeSigningKey } from './signing-key.js';

/** What `entra.mint(options)` puts in a token; every field has a realistic default. */
export interface MintOptions {
  /** Token format. Default: the API's `accessTokenVersion` (2 unless configured). */
  version?: 1 | 2;
  /** Default: the fake's first tenant. Any GUID works (a tenant the fake does not host is fine). */
  tenantId?: string;
  /** The API the token is for, by appId or Application ID URI. Default: the first API. */
  api?: string;
  /** `aud`. Default: the API's appId for v2 tokens, its Application ID URI for v1 (as Entra does). */
  audience?: string;
  /** Delegated permissions (`scp`). Default: every scope the API exposes. Ignored for app-only tokens. */
  scopes?: string[];
  /** App roles (`roles`). Default: the client's grants (app-only) or the user's assignments. */
  roles?: string[];
  /** A client-credentials token: `idtyp: "app"`, `oid === sub`, no `scp`. */
  appOnly?: boolean;
  /** The calling app (`azp` / `appid`). Default: the first client app. */
  clientAppId?: string;
  /** Override parts of the signed-in user. Default: the first user. */
  user?: Partial<FakeUser>;
  /** Epoch seconds. Default: now. */
  issuedAt?: number;
  /** Epoch seconds. Default: `issuedAt`. */
  notBefore?: number;
  /** Seconds after `issuedAt`. Default 3600. */
  expiresIn?: number;
  /** Claim overrides; `undefined` removes a claim. */
  claims?: Claims;
  /** Header overrides; `undefined` removes a field. `alg` is always RS256 here (see attackTokens). */
  header?: JsonObject;
  /** Sign with this published or retired key (by kid). Default: the current key, or the API's own key. */
  kid?: string;
  /** Sign with this key object, e.g. one from `createUnpublishedKey()`. */
  signingKey?: FakeSigningKey;
  /**
   * A personal Microsoft account's token: `tid` is the personal-account tenant
   * (9188040d-6c67-4c5b-b112-36a304b66dad) and the key is the one bound to its issuer, published
   * under `common` and `consumers` but not `organizations`.
   */
  personalAccount?: boolean;
  /**
   * DER bytes of the client certificate the token is bound to (Entra mTLS PoP, RFC 8705 §3.1):
   * adds `cnf: { "x5t#S256": base64url(SHA-256(DER)) }`. See `createClientCertificate()`.
   */
  certificate?: Uint8Array;
  /** Encrypt (JWE) for an API with a token-encryption key. Default: whenever the API has one, as Entra does. */
  encrypt?: boolean;
}

export interface MintContext {
  cloud: FakeCloud;
  now(): number;
  defaultTenantId: string;
  findApi(idOrUri: string | undefined): FakeApi;
  findClient(clientId: string): FakeClientApp | undefined;
  defaultClient: FakeClientApp;
  defaultUser: FakeUser;
  keyFor(options: { kid?: string; api: FakeApi }): Promise<FakeSigningKey>;
  /** The key bound to the personal-account issuer. */
  personalKey(): Promise<FakeSigningKey>;
}

/** A token before signing: what mintToken and the first-party minter share. */
export interface UnsignedToken {
  header: JsonObject;
  claims: Claims;
  key: FakeSigningKey;
  api: FakeApi;
}

/** RFC 8705 §3.1 `x5t#S256`: base64url SHA-256 of the certificate's DER bytes. */
export async function certificateThumbprintS256(der: Uint8Array): Promise<string> {
  return base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', der as Uint8Array<ArrayBuffer>)));
}

export async function mintToken(ctx: MintContext, options: MintOptions = {}): Promise<string> {
  const { header, claims, key, api } = await buildToken(ctx, options);
  const signed = await signRs256(header, claims, key.privateKey);
  const encryption = api.tokenEncryptionKey;
  if (!encryption || options.encrypt === false) {
    if (options.encrypt === true) throw new Error(`mint({ encrypt: true }): API "${api.appId}" has no token-encryption key; register it with tokenEncryption: true`);
    return signed;
  }
  return encryptToken(signed, encryption);
}

export async function buildToken(ctx: MintContext, options: MintOptions = {}): Promise<UnsignedToken> {
  const api = ctx.findApi(options.api);
  const version = options.version ?? api.accessTokenVersion;
  const appOnly = options.appOnly ?? false;
  const client = options.clientAppId
    ? (ctx.findClient(options.clientAppId) ?? createClientApp({ clientId: options.clientAppId }, 0))
    : ctx.defaultClient;
  const user: FakeUser = { ...ctx.defaultUser, ...options.user };
  const issuedAt = options.issuedAt ?? Math.floor(ctx.now() / 1000);
  const claims = await buildClaims({
    cloud: ctx.cloud,
    version,
    tenantId: options.personalAccount ? PERSONAL_ACCOUNT_TENANT_ID : (options.tenantId ?? ctx.defaultTenantId),
    api,
    audience: options.audience ?? (version === 2 ? api.appId : api.identifierUri),
    client,
    user,
    appOnly,
    scopes: appOnly ? [] : (options.scopes ?? api.scopes),
    roles: options.roles ?? (appOnly ? grantsFor(client.appPermissions, api) : grantsFor(user.appRoles, api)),
    issuedAt,
    notBefore: options.notBefore ?? issuedAt,
    expiresAt: issuedAt + (options.expiresIn ?? 3600),
  });
  if (options.certificate) claims.cnf = { 'x5t#S256': await certificateThumbprintS256(options.certificate) };
  const key =
    options.signingKey ??
    (options.personalAccount && !options.kid ? await ctx.personalKey() : await ctx.keyFor({ ...(options.kid ? { kid: options.kid } : {}), api }));
  // Entra's v1 tokens carry both x5t and kid; v2 tokens only kid.
  const header: JsonObject = version === 1 ? { typ: 'JWT', alg: 'RS256', x5t: key.x5t, kid: key.kid } : { typ: 'JWT', alg: 'RS256', kid: key.kid };
  return { header: applyOverrides(header, options.header), claims: applyOverrides(claims, options.claims), key, api };
}
