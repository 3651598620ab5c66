// Step 1 of verification: size, compact JWS shape, JSON objects, and claim types. Cheap checks
// that run before any key lookup, so garbage never costs a fetch or a signature check.
import type { EntraAccessTokenClaims, JwsHeader } from './claims.js';
import type { SignatureBackend } from './crypto/signature-backend.js';
import { authError, isEntraAuthError } from './errors.js';

export interface ParsedToken {
  header: JwsHeader;
  claims: EntraAccessTokenClaims;
  /** `header.payload` as bytes: what the signature covers (made when the signature is checked). */
  signingInput(): Uint8Array;
  signature: Uint8Array;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

const malformed = (description: string, hint: string) => authError('malformed_token', description, hint);

type Bytes = Pick<SignatureBackend, 'decodeBase64Url' | 'asciiBytes'>;

function decodeSegment(segment: string, part: string, bytesOf: Bytes): Uint8Array {
  const bytes = bytesOf.decodeBase64Url(segment);
  if (!bytes) {
    throw malformed(`The token ${part} is not base64url.`, `The ${part} segment contains characters outside base64url (A-Z a-z 0-9 - _) or has an impossible length. Tokens use base64url without padding; a token with + / or = was altered (often by URL-encoding or copy/paste).`);
  }
  return bytes;
}

function decodeJsonObject(segment: string, part: 'header' | 'payload', bytesOf: Bytes): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(decodeSegment(segment, part, bytesOf)));
  } catch (error) {
    if (isEntraAuthError(error)) throw error;
    throw malformed(`The token ${part} is not JSON.`, `The ${part} segment does not decode to UTF-8 JSON. The value is not a JWT access token (an opaque token, an encrypted token, or a truncated copy).`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(`The token ${part} is not a JSON object.`, `The ${part} segment decodes to ${Array.isArray(value) ? 'an array' : String(value === null ? 'null' : typeof value)}, not a JSON object.`);
  }
  return value as Record<string, unknown>;
}

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

/** Registered claims must have the right JSON types before anything compares them. */
function checkClaimTypes(claims: Record<string, unknown>): void {
  const wrong = (claim: string, expected: string) =>
    malformed(`The token claim "${claim}" has the wrong type.`, `Claim "${claim}" must be ${expected}, got ${Array.isArray(claims[claim]) ? 'an array' : typeof claims[claim]}.`);
  for (const claim of ['exp', 'nbf', 'iat'] as const) {
    if (claim in claims && (typeof claims[claim] !== 'number' || !Number.isFinite(claims[claim]))) throw wrong(claim, 'a number (seconds since the epoch)');
  }
  for (const claim of ['iss', 'tid', 'scp', 'azp', 'appid', 'oid', 'sub', 'ver', 'idtyp'] as const) {
    if (claim in claims && typeof claims[claim] !== 'string') throw wrong(claim, 'a string');
  }
  if ('aud' in claims && typeof claims.aud !== 'string' && !isStringArray(claims.aud)) throw wrong('aud', 'a string or an array of strings');
  for (const claim of ['roles', 'acrs'] as const) {
    if (claim in claims && !isStringArray(claims[claim])) throw wrong(claim, 'an array of strings');
  }
}

export function parseToken(token: unknown, maxTokenBytes: number, bytesOf: Bytes): ParsedToken {
  if (typeof token !== 'string' || token === '') {
    throw malformed('The access token is missing or not a string.', `verify() needs the token as a string, got ${token === '' ? 'an empty string' : typeof token}.`);
  }
  if (token.length > maxTokenBytes) {
    throw authError('token_too_large', 'The access token is too large.', `The token has ${token.length} bytes; the limit (maxTokenBytes) is ${maxTokenBytes}. Entra access tokens are usually 1-3 KB; very large ones carry many group claims (configure groups overage or app roles instead).`);
  }
  const parts = token.split('.');
  if (parts.length !== 3) {
    throw malformed('The access token is not a JWT.', `A signed JWT has 3 dot-separated parts; this value has ${parts.length}. ${parts.length === 5 ? 'Five parts is an encrypted token (JWE): Entra encrypts tokens only for Microsoft first-party APIs.' : 'Check that the client sends the access token, not a code or a truncated value.'}`);
  }
  const [headerSegment, payloadSegment, signatureSegment] = parts as [string, string, string];
  const header = decodeJsonObject(headerSegment, 'header', bytesOf);
  const claims = decodeJsonObject(payloadSegment, 'payload', bytesOf);
  checkClaimTypes(claims);
  return {
    header: header as JwsHeader,
    claims: claims as EntraAccessTokenClaims,
    // Not built up front: a token refused before its signature is checked never needs it.
    signingInput: () => bytesOf.asciiBytes(token.slice(0, headerSegment.length + payloadSegment.length + 1)),
    signature: decodeSegment(signatureSegment, 'signature', bytesOf),
  };
}
