// Authorization codes: single use and short lived. "Authorization codes are short lived. Typically,
// they expire after about 10 minutes" (v2-oauth2-auth-code-flow); a second redemption fails with
// AADSTS54005, as RFC 6749 §4.1.2 requires ("The client MUST NOT use the authorization code more than once").
import { base64url } from 'jose';
import type { FakeUser, RedirectUriPlatform } from '../directory.js';
import type { CodeChallengeMethod } from './pkce.js';

const CODE_LIFETIME_MS = 10 * 60 * 1000;

/** What the user approved at the authorization endpoint, bound to the code. */
export interface AuthorizationGrant {
  clientId: string;
  redirectUri: string;
  platform: RedirectUriPlatform;
  tenantId: string;
  user: FakeUser;
  /** The `scope` of the authorization request. */
  scope: string;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: CodeChallengeMethod;
  sessionId: string;
}

interface StoredCode {
  grant: AuthorizationGrant;
  expiresAt: number;
  redeemed: boolean;
}

export type RedeemResult = { grant: AuthorizationGrant } | { problem: 'unknown' | 'redeemed' | 'expired' };

export class AuthorizationCodes {
  private readonly codes = new Map<string, StoredCode>();

  constructor(private readonly now: () => number) {}

  issue(grant: AuthorizationGrant): string {
    const code = `1.${base64url.encode(crypto.getRandomValues(new Uint8Array(48)))}`;
    this.codes.set(code, { grant, expiresAt: this.now() + CODE_LIFETIME_MS, redeemed: false });
    return code;
  }

  /** Takes the code: whatever the outcome of the rest of the request, it is used up. */
  redeem(code: string): RedeemResult {
    const stored = this.codes.get(code);
    if (!stored) return { problem: 'unknown' };
    if (stored.redeemed) return { problem: 'redeemed' };
    stored.redeemed = true;
    if (this.now() > stored.expiresAt) return { problem: 'expired' };
    return { grant: stored.grant };
  }
}
