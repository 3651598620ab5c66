import type { AuthRequirement } from './authorize.js';
import type { EntraVerifier } from './create-verifier.js';
import { createEntraVerifier } from './entra-verifier.js';
import type { EntraVerifierOptions } from './options.js';
import type { VerifiedAccessToken } from './verified-token.js';

const verifiers = new WeakMap<EntraVerifierOptions, EntraVerifier>();

/**
 * One-shot form of `createEntraVerifier(options).verify(token, requirement)`. The verifier (and
 * its key cache) is kept per options object, so pass the same object every time:
 * a new object literal per call builds a new verifier and fetches keys again.
 */
export function verifyAccessToken(token: string, options: EntraVerifierOptions, requirement?: AuthRequirement): Promise<VerifiedAccessToken> {
  let verifier = verifiers.get(options);
  if (!verifier) {
    verifier = createEntraVerifier(options);
    verifiers.set(options, verifier);
  }
  return verifier.verify(token, requirement);
}
