// Proof Key for Code Exchange (RFC 7636): the check the token endpoint makes before it honours a code.
import { base64url } from 'jose';

export type CodeChallengeMethod = 'plain' | 'S256';

/**
 * RFC 7636 §4.6: S256 compares BASE64URL(SHA256(ASCII(code_verifier))) with the challenge, plain
 * compares them as they are. The auth code flow page: "The Microsoft identity platform supports both
 * `plain` and `S256`", and a challenge without a method "is assumed to be plaintext".
 */
export async function verifiesChallenge(verifier: string, challenge: string, method: CodeChallengeMethod): Promise<boolean> {
  // §4.1: 43 to 128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~".
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) return false;
  if (method === 'plain') return verifier === challenge;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url.encode(new Uint8Array(digest)) === challenge;
}

/** §4.2: a challenge is 43 to 128 characters (S256 always 43). */
export const isWellFormedChallenge = (challenge: string): boolean => /^[A-Za-z0-9\-._~]{43,128}$/.test(challenge);
