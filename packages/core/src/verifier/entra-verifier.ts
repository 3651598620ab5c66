import { signatureBackend } from '#signature-backend';
import { createVerifierWithBackend, type EntraVerifier } from './create-verifier.js';
import type { EntraVerifierConfig } from './verifier-options.js';

/**
 * Build a verifier once at start-up and reuse it: it keeps the key sets and verified tokens.
 *
 * ```ts
 * const verifier = createEntraVerifier({ tenant: '<tenant-guid>', audience: 'api://<client-id>' });
 * const auth = await verifier.verify(token, { scopes: ['Data.Read'] });
 * ```
 *
 * One API for several authorities (a workforce tenant, a B2C user flow, an External ID tenant,
 * another cloud): `createEntraVerifier({ authorities: [{ name: 'employees', tenant, clientId }, { name: 'customers', authority, clientId }] })`.
 * The token's unsigned issuer only picks the authority; all of that authority's rules then run.
 *
 * Options are validated here: a misconfiguration throws a TypeError now, not on a request.
 * Signatures are checked with node:crypto on Node and WebCrypto elsewhere (package `imports`
 * condition `#signature-backend`).
 */
export function createEntraVerifier(options: EntraVerifierConfig): EntraVerifier {
  return createVerifierWithBackend(options, signatureBackend);
}
