// Certificate-bound tokens (RFC 8705, Entra's mTLS PoP): a token whose `cnf` claim names a client
// certificate is accepted only from a request made with that certificate. Runs on every verify()
// call, result-cache hits included, because the binding belongs to the request, not the token.
//
// Entra embeds the SHA-256 thumbprint of the client's certificate as `cnf` `x5t#S256`, and the API
// must check that the certificate presented on the connection matches it (Microsoft.Identity.Web,
// "Token binding with mTLS Proof-of-Possession", AzureAD/microsoft-identity-web
// docs/calling-downstream-apis/token-binding.md). The value is the base64url SHA-256 of the
// certificate's DER, without padding (RFC 8705 §3.1); on a mismatch the resource MUST answer 401
// invalid_token (RFC 8705 §3). base64url is case-sensitive, so the comparison is exact (the sample
// handler in Microsoft's guide compares ignoring case; we do not).
//
// Any other confirmation method (DPoP's `jkt`, RFC 9449; `jwk`, `jwe`, `kid`, RFC 7800) is a
// proof this verifier cannot check, and accepting such a token as a bearer token would throw its
// binding away: it is refused.
import type { EntraAccessTokenClaims } from '../token/claims.js';
import { authError } from '../errors.js';
import { shown, typeName } from '../printable.js';

/**
 * The TLS client certificate of the request: its DER bytes (Node: `socket.getPeerCertificate().raw`),
 * or its SHA-256 thumbprint as RFC 8705 §3.1 writes it (base64url of SHA-256 over the DER), e.g. from
 * a TLS-terminating proxy you trust.
 */
export type ClientCertificate =
  | Uint8Array
  | ArrayBuffer
  | {
      /** base64url (no padding) SHA-256 of the certificate's DER: 43 characters. */
      readonly x5tS256: string;
    };

/** Per-request facts that a token's proof of possession is checked against. */
export interface VerifyContext {
  /** The client certificate of this request's TLS connection, if any; needed only for certificate-bound tokens (`cnf` `x5t#S256`). */
  clientCertificate?: ClientCertificate | null | undefined;
  /** The framework's request, handed to `check` functions (the adapters pass theirs). */
  request?: unknown;
}

const THUMBPRINT_MEMBER = 'x5t#S256';
const BASE64URL_SHA256 = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** base64url without padding (RFC 4648 §5). */
function base64url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  if (i < bytes.length) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + (i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : '');
  }
  return out;
}

/** The RFC 8705 §3.1 thumbprint of a DER certificate, with WebCrypto (every runtime has it). */
export async function certificateThumbprint(der: Uint8Array | ArrayBuffer): Promise<string> {
  const bytes = der instanceof Uint8Array ? der : new Uint8Array(der);
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)));
}

function bindingRequired(expected: string) {
  return authError(
    'certificate_binding_required',
    'The token is bound to a client certificate that the request did not present.',
    `The token carries cnf x5t#S256 ${shown(expected)}: Entra bound it to a client certificate (mTLS proof of possession, RFC 8705), so it is accepted only over a TLS connection made with that certificate, never as a plain bearer token. Serve this API with mutual TLS (Node https: requestCert) so the adapters pass the certificate, or pass it yourself: verify(token, requirement, { clientCertificate }). Behind a TLS-terminating proxy, forward the certificate's SHA-256 thumbprint as { x5tS256 }.`,
  );
}

function thumbprintOf(certificate: ClientCertificate): string | Promise<string> {
  if (certificate instanceof Uint8Array || certificate instanceof ArrayBuffer) return certificateThumbprint(certificate);
  const given = (certificate as { x5tS256?: unknown }).x5tS256;
  if (typeof given !== 'string' || !BASE64URL_SHA256.test(given)) {
    // The caller's mistake, not the client's: a TypeError says what to pass.
    throw new TypeError(`entra-verify: clientCertificate.x5tS256 must be the base64url SHA-256 thumbprint of the certificate's DER (43 characters, RFC 8705 §3.1), got ${typeName(given)}`);
  }
  return given;
}

function compare(expected: string, presented: string): void {
  if (presented !== expected) {
    throw authError(
      'certificate_mismatch',
      'The token is bound to a different client certificate.',
      `The token is bound to the certificate with x5t#S256 ${shown(expected)}, but the request's TLS client certificate has ${shown(presented)}. The token was issued to another client (or the client sent it with another certificate than the one it requested it with); a stolen bound token is refused here by design (RFC 8705 §3).`,
    );
  }
}

/**
 * Refuse a token with a `cnf` claim unless the request proves it: `x5t#S256` must equal the
 * thumbprint of `clientCertificate`. A token without `cnf` passes untouched. Synchronous unless a
 * DER certificate has to be hashed.
 */
export function checkCertificateBinding(claims: EntraAccessTokenClaims, clientCertificate: ClientCertificate | null | undefined): void | Promise<void> {
  const cnf = (claims as { cnf?: unknown }).cnf;
  if (cnf === undefined) return;
  if (typeof cnf !== 'object' || cnf === null || Array.isArray(cnf)) {
    throw authError('malformed_token', 'The token claim "cnf" has the wrong type.', `Claim "cnf" (confirmation, RFC 7800) must be a JSON object, got ${typeName(cnf)}.`);
  }
  const members = Object.keys(cnf);
  const unknown = members.filter((member) => member !== THUMBPRINT_MEMBER);
  if (unknown.length > 0 || members.length === 0) {
    throw authError(
      'unsupported_token_binding',
      'The token is bound to a proof of possession this API cannot check.',
      `The token's cnf claim holds ${members.length === 0 ? 'no confirmation method' : `${unknown.slice(0, 3).map((member) => shown(member, 40)).join(', ')}${unknown.length > 3 ? ` and ${unknown.length - 3} more` : ''}`}; only x5t#S256 (certificate binding, RFC 8705) can be verified here. A token bound to a key (DPoP "jkt", RFC 9449; "jwk", RFC 7800) is not a bearer token, so it is refused rather than accepted without its proof.`,
    );
  }
  const expected = (cnf as Record<string, unknown>)[THUMBPRINT_MEMBER];
  if (typeof expected !== 'string' || !BASE64URL_SHA256.test(expected)) {
    throw authError('malformed_token', 'The token claim "cnf" is invalid.', `cnf x5t#S256 must be a base64url SHA-256 thumbprint (43 characters, RFC 8705 §3.1), got ${shown(expected)}.`);
  }
  if (clientCertificate === undefined || clientCertificate === null) throw bindingRequired(expected);
  const presented = thumbprintOf(clientCertificate);
  return typeof presented === 'string' ? compare(expected, presented) : presented.then((thumbprint) => compare(expected, thumbprint));
}
