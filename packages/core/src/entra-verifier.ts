import { signatureBackend } from '#signature-backend';
import { createVerifierWithBackend, type EntraVerifier } from './create-verifier.js';
import type { EntraVerifierOptions } from './options.js';

/**
 * Build a verifier once at start-up and reuse it: it keeps the key sets and verified tokens.
 *
 * ```ts
 * const verifier = createEntraVerifier({ tenant: '<tenant-guid>', audience: 'api://<client-id>' });
 * const auth = await verifier.verify(token, { scopes: ['Data.Read'] });
 * ```
 *
 * Options are validated here: a misconfiguration throws a TypeError now, not on a request.
 * Signatures are checked with node:crypto on Node and WebCrypto elsewhere (package `imports`
 * condition `#signature-backend`).
 */
export function createEntraVerifier(options: EntraVerifierOptions): EntraVerifier {
  return createVerifierWithBackend(options, signatureBackend);
}
