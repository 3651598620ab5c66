// Reading a JWKS response defensively: one bad key must not cost the good ones, and nothing in
// the document may crash the verifier. A key is kept only if it can safely verify RSA signatures:
// RFC 7517's `use`, `key_ops` and `alg` say what it may be used for, and its numbers must be a
// sound RSA public key (a public exponent of 1 makes the signature equal the padded digest, so
// anyone could forge one; an even modulus or exponent is no RSA key either).
import { decodeBase64Url } from '../token/base64url.js';
import { shown } from '../printable.js';

/** A usable signing key as the key set publishes it. */
export interface PublishedKey {
  /** Key id, as tokens name it in their header. */
  kid: string;
  /** RSA modulus, base64url. */
  n: string;
  /** RSA public exponent, base64url. */
  e: string;
  /** Entra's signing-key issuer, possibly with `{tenantid}`. */
  issuer: string | undefined;
  /** The only algorithm the key may verify (its JWK `alg`, RFC 7517 §4.4); any RSA algorithm when absent. */
  alg: string | undefined;
}

/** RSA-2048 is Entra's size; anything below 2048 bits is refused. */
const MIN_MODULUS_BITS = 2048;
/** OpenSSL's limit (OPENSSL_RSA_MAX_MODULUS_BITS): a larger modulus costs CPU and verifies nothing real. */
const MAX_MODULUS_BITS = 16_384;
/** FIPS 186-5 §A.1.1 bounds e below 2^256; Entra uses 65537 (`AQAB`). */
const MAX_EXPONENT_BYTES = 32;
/** The JWS algorithms an RSA key can verify (RFC 7518 §3.1); a key bound to anything else never verifies a token. */
const RSA_SIGNATURE_ALGORITHMS: ReadonlySet<string> = new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']);

/**
 * A base64url unsigned integer (RFC 7518 §2 `Base64urlUInt`) as big-endian bytes without leading
 * zero bytes, or undefined if it is not strict base64url. One pass over the characters.
 */
function unsignedBytes(value: string): Uint8Array | undefined {
  const bytes = decodeBase64Url(value);
  if (!bytes) return undefined;
  let start = 0;
  while (start < bytes.length && bytes[start] === 0) start++;
  return bytes.subarray(start);
}

/** Bit length of a big-endian unsigned integer without leading zero bytes. */
function bitLength(bytes: Uint8Array): number {
  return bytes.length === 0 ? 0 : (bytes.length - 1) * 8 + (32 - Math.clz32(bytes[0]!));
}

/** Why an RSA modulus and exponent are unsafe, or undefined when they are sound. */
export function unsoundRsaKey(n: string, e: string): string | undefined {
  const modulus = unsignedBytes(n);
  if (!modulus) return 'its modulus "n" is not base64url';
  const modulusBits = bitLength(modulus);
  if (modulusBits < MIN_MODULUS_BITS) return `its modulus has ${modulusBits} bits (at least ${MIN_MODULUS_BITS} required)`;
  if (modulusBits > MAX_MODULUS_BITS) return `its modulus has ${modulusBits} bits (at most ${MAX_MODULUS_BITS} accepted)`;
  if ((modulus[modulus.length - 1]! & 1) === 0) return 'its modulus is even';
  const exponent = unsignedBytes(e);
  if (!exponent) return 'its exponent "e" is not base64url';
  if (exponent.length > MAX_EXPONENT_BYTES) return `its exponent has more than ${MAX_EXPONENT_BYTES * 8} bits`;
  if (exponent.length === 0 || (exponent.length === 1 && exponent[0]! < 3)) return 'its exponent is below 3 (e = 1 would let anyone forge signatures)';
  if ((exponent[exponent.length - 1]! & 1) === 0) return 'its exponent is even';
  return undefined;
}

function usableKey(value: unknown): PublishedKey | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const jwk = value as Record<string, unknown>;
  if (jwk.kty !== 'RSA' || (jwk.use !== undefined && jwk.use !== 'sig')) return undefined;
  if (typeof jwk.kid !== 'string' || jwk.kid === '' || typeof jwk.n !== 'string' || typeof jwk.e !== 'string') return undefined;
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify'))) return undefined;
  // A key bound to an algorithm no RSA signature uses (RSA-OAEP, HS256, none, …) verifies nothing.
  const alg = jwk.alg;
  if (alg !== undefined && !(typeof alg === 'string' && RSA_SIGNATURE_ALGORITHMS.has(alg))) return undefined;
  if (unsoundRsaKey(jwk.n, jwk.e)) return undefined;
  return { kid: jwk.kid, n: jwk.n, e: jwk.e, issuer: typeof jwk.issuer === 'string' ? jwk.issuer : undefined, alg: alg as string | undefined };
}

/** Usable signing keys by kid (the first of duplicate kids wins); `undefined` if the document is not a key set. */
export function parseKeySet(document: unknown): Map<string, PublishedKey> | undefined {
  if (typeof document !== 'object' || document === null || !Array.isArray((document as { keys?: unknown }).keys)) return undefined;
  const keys = new Map<string, PublishedKey>();
  for (const entry of (document as { keys: unknown[] }).keys) {
    const key = usableKey(entry);
    if (key && !keys.has(key.kid)) keys.set(key.kid, key);
  }
  return keys;
}

/** `cloud_instance_name` compares as a DNS name: ASCII case does not matter. `null` names nothing, like an absent member. */
const sameInstanceName = (found: unknown, expected: string) => found === null || (typeof found === 'string' && found.toLowerCase() === expected.toLowerCase());

/**
 * The first `cloud_instance_name` in a key set (on the document or on any key) that differs from
 * the expected one, shown for a message; undefined when every one present matches. Entra marks
 * v2 keys with the cloud that serves them (`microsoftonline.com`, `microsoftonline.us`,
 * `partner.microsoftonline.cn`), so a different name means the request reached another cloud's
 * authority (a proxy or DNS override, or the wrong `cloud` option): none of its keys are ours.
 */
export function foreignCloudInstanceName(document: unknown, expected: string): string | undefined {
  if (typeof document !== 'object' || document === null) return undefined;
  const top = (document as { cloud_instance_name?: unknown }).cloud_instance_name;
  if (top !== undefined && !sameInstanceName(top, expected)) return shown(top);
  const keys = (document as { keys?: unknown }).keys;
  if (!Array.isArray(keys)) return undefined;
  for (const entry of keys) {
    if (typeof entry !== 'object' || entry === null) continue;
    const name = (entry as { cloud_instance_name?: unknown }).cloud_instance_name;
    if (name !== undefined && !sameInstanceName(name, expected)) return shown(name);
  }
  return undefined;
}
