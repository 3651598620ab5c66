// What the token endpoint's grants share: the directory, the stores, and the minting functions.
import type { FakeApi, FakeClientApp, FakeUser } from '../directory.js';
import { entraErrorResponse, type EntraErrorSpec } from '../entra-error.js';
import type { CryptoKeyLike } from '../portable-types.js';
import type { AuthorizationCodes } from './authorization-codes.js';
import type { ConsentStore } from './consent.js';
import type { RefreshTokens } from './refresh-tokens.js';

export interface AccessTokenRequest {
  tenantId: string;
  api: FakeApi;
  client: FakeClientApp;
  user?: FakeUser;
  scopes: string[];
  roles: string[];
}

export interface IdTokenRequest {
  tenantId: string;
  client: FakeClientApp;
  user: FakeUser;
  nonce?: string | undefined;
  sessionId?: string | undefined;
}

export interface GrantContext {
  now(): number;
  apis: readonly FakeApi[];
  users: readonly FakeUser[];
  findClient(clientId: string): FakeClientApp | undefined;
  consent: ConsentStore;
  codes: AuthorizationCodes;
  refreshTokens: RefreshTokens;
  mintAccessToken(request: AccessTokenRequest): Promise<string>;
  mintGraphToken(request: { tenantId: string; client: FakeClientApp; user: FakeUser; scopes: string[] }): Promise<string>;
  mintIdToken(request: IdTokenRequest): Promise<string>;
  /** A signing key the fake publishes for every app, by kid (on-behalf-of assertions must use one). */
  sharedKey(kid: string): CryptoKeyLike | undefined;
  /** The issuers the fake writes for a tenant. */
  issuers(tenantId: string): string[];
}

/** What the token request carried besides its form. */
export interface TokenRequestMeta {
  authorization: string | null;
  /** The Origin header: present on the browser's cross-origin requests, absent on a server's. */
  origin: string | null;
  /** URLs of this token endpoint on the fake's hosts: what a client assertion's `aud` may be. */
  endpointUrls: string[];
}

export const failWith = (ctx: { now(): number }, spec: EntraErrorSpec): Response => entraErrorResponse(spec, ctx.now());

export const ACCESS_TOKEN_LIFETIME = 3599;
