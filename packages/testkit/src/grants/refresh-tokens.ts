// Refresh tokens: opaque, bound to the client and user they were issued to, revocable by a test.
// Facts from v2-oauth2-auth-code-flow, "Refresh the access token": a refresh token is "valid for all
// permissions that your client has already received consent for"; each refresh returns "a new OAuth
// 2.0 refresh token" and the old one is not revoked by its use; one issued to a `spa` redirect URI
// "expires after 24 hours", and the ones acquired with it carry that expiry over.
import { base64url } from 'jose';
import type { FakeUser } from '../directory.js';

export const SPA_REFRESH_TOKEN_LIFETIME_S = 24 * 3600;

export interface RefreshGrant {
  clientId: string;
  user: FakeUser;
  tenantId: string;
  /** The `scope` of the request that issued it. */
  scope: string;
  /** Issued through a `spa` redirect URI: redeemable only cross-origin, with a fixed expiry. */
  spa: boolean;
  issuedAt: number;
  /** Epoch ms; only SPA refresh tokens expire (others live until revoked, here). */
  expiresAt: number | undefined;
}

interface StoredRefreshToken extends RefreshGrant {
  revoked: boolean;
}

export type UseResult = { grant: RefreshGrant } | { problem: 'unknown' | 'other-client' | 'revoked' | 'expired'; issuedAt?: number };

/** Which refresh tokens `entra.revokeRefreshTokens(filter)` revokes; both fields narrow it. */
export interface RefreshTokenFilter {
  /** The user, by object id or sign-in name. */
  user?: string;
  /** The client app the tokens were issued to. */
  clientId?: string;
}

export class RefreshTokens {
  private readonly tokens = new Map<string, StoredRefreshToken>();

  constructor(private readonly now: () => number) {}

  issue(grant: Omit<RefreshGrant, 'issuedAt' | 'expiresAt'>, carriedExpiry?: number): { token: string; expiresIn: number | undefined } {
    const issuedAt = this.now();
    const expiresAt = grant.spa ? (carriedExpiry ?? issuedAt + SPA_REFRESH_TOKEN_LIFETIME_S * 1000) : undefined;
    const token = `1.${base64url.encode(crypto.getRandomValues(new Uint8Array(64)))}`;
    this.tokens.set(token, { ...grant, issuedAt, expiresAt, revoked: false });
    return { token, expiresIn: expiresAt === undefined ? undefined : Math.max(0, Math.floor((expiresAt - issuedAt) / 1000)) };
  }

  use(token: string, clientId: string): UseResult {
    const stored = this.tokens.get(token);
    if (!stored) return { problem: 'unknown' };
    if (stored.clientId !== clientId) return { problem: 'other-client' };
    if (stored.revoked) return { problem: 'revoked' };
    if (stored.expiresAt !== undefined && this.now() >= stored.expiresAt) return { problem: 'expired', issuedAt: stored.issuedAt };
    return { grant: stored };
  }

  revoke(filter: RefreshTokenFilter = {}): number {
    let count = 0;
    const user = filter.user?.toLowerCase();
    for (const stored of this.tokens.values()) {
      if (stored.revoked) continue;
      if (filter.clientId && stored.clientId !== filter.clientId) continue;
      if (user && stored.user.objectId.toLowerCase() !== user && stored.user.username.toLowerCase() !== user) continue;
      stored.revoked = true;
      count++;
    }
    return count;
  }
}
