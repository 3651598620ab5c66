// Encrypted access tokens (JWE, RFC 7516): unwrap the signed token inside, which then goes
// through every rule of the verification order exactly as a plain one does.
//
// Entra encrypts the tokens of an app registration that has a token-encryption key
// (`tokenEncryptionKeyId`, Microsoft Graph application resource); the API decrypts them with the
// private key of that certificate, as Microsoft.Identity.Web does with TokenDecryptionCertificates
// (AzureAD/microsoft-identity-web docs/wiki-archive/Token-Decryption.md). Key selection follows
// Microsoft.IdentityModel's JsonWebTokenHandler (src/Microsoft.IdentityModel.JsonWebTokens/
// JsonWebTokenHandler.DecryptToken.cs, ResolveTokenDecryptionKey / TryAllDecryptionKeys): a key
// whose id matches the header's `kid` (or `x5t`) is used; when none matches, every configured key
// is tried, which is also what Microsoft.Identity.Web documents for several decryption
// certificates (docs/authentication/credentials/token-decryption.md: "tries each credential").
//
// jose's compactDecrypt does the cryptography on every runtime (WebCrypto). With RSA-OAEP a wrong
// key and a tampered token fail alike (jose substitutes a random content key when unwrapping
// fails), so one code, `decryption_failed`, covers both and tells an attacker nothing more.
import type { SignatureBackend } from './crypto/signature-backend.js';
import type { ResolvedDecryptionKey } from './decryption-keys.js';
import { authError, isEntraAuthError } from '../errors.js';
import { shown } from '../printable.js';

/**
 * Key management: RSA-OAEP with SHA-1 or SHA-256 (RFC 7518 §4.3), what Entra uses: "Microsoft
 * Entra supports RSA-OAEP and RSA-OAEP-256 key-wrapping algorithms"
 * (https://learn.microsoft.com/entra/msidweb/authentication/token-decryption). RSA1_5 never.
 */
export const KEY_MANAGEMENT_ALGORITHMS: readonly string[] = ['RSA-OAEP', 'RSA-OAEP-256'];
/** Content encryption (RFC 7518 §5): AES-GCM and AES-CBC with HMAC, 128 and 256 bits (Microsoft's page names no `enc`). */
export const CONTENT_ENCRYPTION_ALGORITHMS: readonly string[] = ['A128GCM', 'A256GCM', 'A128CBC-HS256', 'A256CBC-HS512'];

const decoder = new TextDecoder('utf-8', { fatal: true });

/** jose is loaded on the first encrypted token, so verifiers that never see one do not load it. */
let jose: Promise<typeof import('jose')> | undefined;

/** Dots in `text`, counting no further than `limit` (a linear scan, no split of untrusted input). */
function dotCount(text: string, limit: number): number {
  let count = 0;
  for (let i = text.indexOf('.'); i !== -1 && count <= limit; i = text.indexOf('.', i + 1)) count++;
  return count;
}

/** True for a compact JWE: five dot-separated parts. */
export function isCompactJwe(token: unknown): token is string {
  return typeof token === 'string' && dotCount(token, 4) === 4;
}

type Bytes = Pick<SignatureBackend, 'decodeBase64Url'>;

/**
 * Every segment strict base64url (RFC 7516 §7.1), as the signed token's are: jose decodes with a
 * decoder that skips whitespace, which would let one token be spelled many ways (each a new cache
 * entry, and a text no Authorization header may carry). The encrypted key is empty for `dir`.
 */
function checkSegments(token: string, bytesOf: Bytes): void {
  let start = 0;
  for (let part = 0; part < 5; part++) {
    const end = part === 4 ? token.length : token.indexOf('.', start);
    if (end > start && !bytesOf.decodeBase64Url(token.slice(start, end))) {
      throw authError('malformed_token', 'The encrypted token is not base64url.', `Segment ${part + 1} of the encrypted token (JWE) holds characters outside base64url (A-Z a-z 0-9 - _) or has an impossible length. The value was altered (often by URL-encoding or copy/paste) or is not a token Entra issued.`);
    }
    start = end + 1;
  }
}

/** The protected header of a JWE, checked before any private-key operation is spent on it. */
function readHeader(token: string, bytesOf: Bytes): Record<string, unknown> {
  const malformed = () =>
    authError('malformed_token', 'The encrypted token header is invalid.', 'The first segment of the encrypted token (JWE protected header) is not base64url of a UTF-8 JSON object. The value was altered or is not a token Entra issued.');
  const bytes = bytesOf.decodeBase64Url(token.slice(0, token.indexOf('.')));
  if (!bytes) throw malformed();
  let header: unknown;
  try {
    header = JSON.parse(decoder.decode(bytes));
  } catch {
    throw malformed();
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw malformed();
  return header as Record<string, unknown>;
}

function checkHeader(header: Record<string, unknown>): void {
  if (typeof header.alg !== 'string' || !KEY_MANAGEMENT_ALGORITHMS.includes(header.alg)) {
    throw authError('algorithm_not_allowed', 'The token encryption algorithm is not accepted.', `The encrypted token's key-management "alg" is ${shown(header.alg)}; accepted: ${KEY_MANAGEMENT_ALGORITHMS.join(', ')}. Entra wraps the content key with the public key of the app registration's encryption certificate using RSA-OAEP.`);
  }
  if (typeof header.enc !== 'string' || !CONTENT_ENCRYPTION_ALGORITHMS.includes(header.enc)) {
    throw authError('algorithm_not_allowed', 'The token encryption algorithm is not accepted.', `The encrypted token's content encryption "enc" is ${shown(header.enc)}; accepted: ${CONTENT_ENCRYPTION_ALGORITHMS.join(', ')}.`);
  }
  if (header.zip !== undefined) {
    // A compressed JWE would let a small token inflate into a large one before any check ran.
    throw authError('decryption_failed', 'The token could not be decrypted.', `The encrypted token is compressed ("zip": ${shown(header.zip)}); compressed tokens are refused, so that decryption output stays within maxTokenBytes.`);
  }
}

/** The configured keys to try: those named by the header's kid or x5t, else all of them. */
function candidates(header: Record<string, unknown>, keys: readonly ResolvedDecryptionKey[]): readonly ResolvedDecryptionKey[] {
  const { kid, x5t } = header;
  const named = keys.filter((key) => (typeof kid === 'string' && key.kid === kid) || (typeof x5t === 'string' && key.x5t === x5t));
  return named.length > 0 ? named : keys;
}

/** The inner token: ASCII text of a compact JWS within the size limit. */
function innerToken(plaintext: Uint8Array, maxTokenBytes: number): string {
  if (plaintext.length > maxTokenBytes) {
    throw authError('token_too_large', 'The access token is too large.', `The decrypted token has ${plaintext.length} bytes; the limit (maxTokenBytes) is ${maxTokenBytes}.`);
  }
  let inner: string;
  try {
    inner = decoder.decode(plaintext);
  } catch {
    throw authError('malformed_token', 'The encrypted token does not contain a JWT.', 'The decrypted content is not UTF-8 text, so it is not a signed JWT.');
  }
  const dots = dotCount(inner, 4);
  if (dots !== 2) {
    const found = dots === 4 ? 'is itself an encrypted token (a JWE inside the JWE); Entra nests one signed JWT, so this token was not issued by Entra' : `has ${dots + 1 > 5 ? 'more than 5' : dots + 1} dot-separated parts`;
    throw authError('malformed_token', 'The encrypted token does not contain a signed JWT.', `The decrypted content ${found}. An encrypted access token must carry a signed JWT (3 parts), whose signature is then checked as for any token.`);
  }
  return inner;
}

/**
 * Decrypt a compact JWE with the configured keys and return the signed token inside (not yet
 * verified: the caller runs every rule on it). Rejects with EntraAuthError only.
 */
export async function decryptToken(token: string, keys: readonly ResolvedDecryptionKey[], maxTokenBytes: number, bytesOf: Bytes): Promise<string> {
  if (token.length > maxTokenBytes) {
    throw authError('token_too_large', 'The access token is too large.', `The encrypted token has ${token.length} bytes; the limit (maxTokenBytes) is ${maxTokenBytes} and applies to the token as sent.`);
  }
  checkSegments(token, bytesOf);
  const header = readHeader(token, bytesOf);
  checkHeader(header);
  const tried = candidates(header, keys);
  const { compactDecrypt } = await (jose ??= import('jose'));
  let lastFailure: unknown;
  for (const key of tried) {
    try {
      const { plaintext } = await compactDecrypt(token, key.key as import('jose').KeyObject, {
        keyManagementAlgorithms: [...KEY_MANAGEMENT_ALGORITHMS] as never,
        contentEncryptionAlgorithms: [...CONTENT_ENCRYPTION_ALGORITHMS] as never,
        maxDecompressedLength: 0,
      });
      return innerToken(plaintext, maxTokenBytes);
    } catch (error) {
      if (isEntraAuthError(error)) throw error;
      lastFailure = error;
    }
  }
  const reason = lastFailure instanceof Error ? `${lastFailure.name}: ${lastFailure.message.slice(0, 160)}` : 'unknown error';
  throw authError(
    'decryption_failed',
    'The token could not be decrypted.',
    `No configured decryption key opened the token (tried ${tried.map((key) => key.label).join(', ')}; token kid ${shown(header.kid)}, alg ${shown(header.alg)}, enc ${shown(header.enc)}; last error ${reason}). Either the token was altered, or Entra encrypted it for another certificate: decryptionKeys must hold the private key of the certificate that the API's app registration names in tokenEncryptionKeyId (keyCredentials, usage "Encrypt"). During a certificate rollover configure both keys.`,
    { cause: lastFailure },
  );
}
