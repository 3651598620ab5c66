// Step 1 of verification: size, compact JWS shape, a small JSON header, base64url segments. Cheap,
// bounded checks that run before any key lookup, so garbage never costs a fetch or a signature
// check. The payload is only decoded here: it is parsed into claims after the signature is checked
// (parseClaims), because a forger can build a 32 KiB JSON text that V8 parses slowly (arrays
// nested ten thousand deep, thousands of distinct keys), and no forger's JSON needs parsing.
import type { EntraAccessTokenClaims, JwsHeader } from './claims.js';
import type { Base64UrlCodec } from './base64url.js';
import type { HeaderMemo } from './header-memo.js';
import { authError, isEntraAuthError } from '../errors.js';
import { typeName } from '../printable.js';

export interface ParsedToken {
  header: JwsHeader;
  /** The header's base64url text, as the token carries it. */
  headerText: string;
  /** The payload's bytes; {@link parseClaims} turns them into claims once the signature held. */
  payload: Uint8Array;
  /** `header.payload` as bytes: what the signature covers (made when the signature is checked). */
  signingInput(): Uint8Array;
  signature: Uint8Array;
}

/**
 * Entra's access-token headers are under 300 characters (typ, alg, kid, x5t, and nonce on Graph
 * tokens). A longer one is refused before JSON.parse sees it, which bounds what parsing an
 * unsigned header can cost.
 */
const MAX_HEADER_CHARS = 2048;

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Five parts is a JWE. Entra encrypts every token it issues for an app registration whose
 * `tokenEncryptionKeyId` names one of its keyCredentials (usage "Encrypt"): Microsoft Graph,
 * application resource type (https://learn.microsoft.com/graph/api/resources/application);
 * Microsoft.Identity.Web, docs/wiki-archive/Token-Decryption.md. With decryptionKeys set the
 * token is decrypted before it reaches this parser, so this hint is for verifiers without them.
 */
const ENCRYPTED_TOKEN_HINT =
  'Five parts is an encrypted token (JWE): the API\'s app registration has a token-encryption key (tokenEncryptionKeyId pointing at a keyCredential with usage "Encrypt"), so Entra encrypts every token it issues for this API. Either configure decryptionKeys with the private key of that certificate, or remove the token-encryption key from the registration (clear tokenEncryptionKeyId) if encryption is not wanted.';

const malformed = (description: string, hint: string) => authError('malformed_token', description, hint);

function decodeSegment(segment: string, part: string, bytesOf: Base64UrlCodec): Uint8Array {
  const bytes = bytesOf.decodeBase64Url(segment);
  if (!bytes) {
    throw malformed(`The token ${part} is not base64url.`, `The ${part} segment contains characters outside base64url (A-Z a-z 0-9 - _) or has an impossible length. Tokens use base64url without padding; a token with + / or = was altered (often by URL-encoding or copy/paste).`);
  }
  return bytes;
}

function decodeJsonObject(bytes: Uint8Array, part: 'header' | 'payload'): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
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

/** The largest time a JavaScript Date holds, in seconds (ECMA-262 §21.4.1.22): no real token is beyond it. */
const MAX_DATE_SECONDS = 8.64e12;

const TIME_CLAIMS = ['exp', 'nbf', 'iat'] as const;
const STRING_CLAIMS = ['iss', 'tid', 'scp', 'azp', 'appid', 'oid', 'sub', 'ver', 'idtyp'] as const;
const STRING_ARRAY_CLAIMS = ['roles', 'acrs'] as const;

/** Registered claims must have the right JSON types before anything compares them. */
function checkClaimTypes(claims: Record<string, unknown>): void {
  const wrong = (claim: string, expected: string) =>
    malformed(`The token claim "${claim}" has the wrong type.`, `Claim "${claim}" must be ${expected}, got ${typeName(claims[claim])}.`);
  // One read per claim: JSON has no undefined, so `!== undefined` is exactly "present".
  for (const claim of TIME_CLAIMS) {
    const value = claims[claim];
    if (value !== undefined && (typeof value !== 'number' || !(Math.abs(value) <= MAX_DATE_SECONDS))) throw wrong(claim, 'a number of seconds since the epoch within the range of dates');
  }
  for (const claim of STRING_CLAIMS) {
    const value = claims[claim];
    if (value !== undefined && typeof value !== 'string') throw wrong(claim, 'a string');
  }
  const aud = claims.aud;
  if (aud !== undefined && typeof aud !== 'string' && !isStringArray(aud)) throw wrong('aud', 'a string or an array of strings');
  for (const claim of STRING_ARRAY_CLAIMS) {
    const value = claims[claim];
    if (value !== undefined && !isStringArray(value)) throw wrong(claim, 'an array of strings');
  }
}

/** `headers`: parsed headers of tokens that verified; a token with one of those header texts reuses it. */
export function parseToken(token: unknown, maxTokenBytes: number, bytesOf: Base64UrlCodec, headers?: HeaderMemo): ParsedToken {
  if (typeof token !== 'string' || token === '') {
    throw malformed('The access token is missing or not a string.', `verify() needs the token as a string, got ${token === '' ? 'an empty string' : typeof token}.`);
  }
  if (token.length > maxTokenBytes) {
    throw authError('token_too_large', 'The access token is too large.', `The token has ${token.length} bytes; the limit (maxTokenBytes) is ${maxTokenBytes}. Entra access tokens are usually 1-3 KB; very large ones carry many group claims (configure groups overage or app roles instead).`);
  }
  const parts = token.split('.');
  if (parts.length !== 3) {
    throw malformed('The access token is not a JWT.', `A signed JWT has 3 dot-separated parts; this value has ${parts.length}. ${parts.length === 5 ? ENCRYPTED_TOKEN_HINT : 'Check that the client sends the access token, not a code or a truncated value.'}`);
  }
  const [headerSegment, payloadSegment, signatureSegment] = parts as [string, string, string];
  if (headerSegment.length > MAX_HEADER_CHARS) {
    throw malformed('The token header is too large.', `The header segment has ${headerSegment.length} characters; Entra's are under 300 and this verifier reads at most ${MAX_HEADER_CHARS}. The token was not issued by Entra.`);
  }
  const header = headers?.get(headerSegment) ?? (decodeJsonObject(decodeSegment(headerSegment, 'header', bytesOf), 'header') as JwsHeader);
  return {
    header,
    headerText: headerSegment,
    payload: decodeSegment(payloadSegment, 'payload', bytesOf),
    // Not built up front: a token refused before its signature is checked never needs it.
    signingInput: () => bytesOf.asciiBytes(token.slice(0, headerSegment.length + payloadSegment.length + 1)),
    signature: decodeSegment(signatureSegment, 'signature', bytesOf),
  };
}

/** After the signature: the payload is a UTF-8 JSON object whose registered claims have the right types. */
export function parseClaims(payload: Uint8Array): EntraAccessTokenClaims {
  const claims = decodeJsonObject(payload, 'payload');
  checkClaimTypes(claims);
  return claims as EntraAccessTokenClaims;
}

/**
 * Before the signature, for a hint only: the claims of a payload of at most 4 KiB (a Graph token's
 * is under 3), or undefined. The size bound keeps what a forger can make this cost small.
 */
export function peekSmallPayload(payload: Uint8Array): Record<string, unknown> | undefined {
  if (payload.length > 4096) return undefined;
  try {
    const value: unknown = JSON.parse(decoder.decode(payload));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
