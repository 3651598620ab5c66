// Reading a JWKS response defensively: one bad key must not cost the good ones, and nothing in
// the document may crash the verifier.

export interface PublishedKey {
  kid: string;
  n: string;
  e: string;
  /** Entra's signing-key issuer, possibly with `{tenantid}`. */
  issuer: string | undefined;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** RSA-2048 is Entra's size; anything below 2048 bits is refused. */
const MIN_MODULUS_CHARS = Math.ceil((2048 / 8) * (4 / 3)) - 1;

function usableKey(value: unknown): PublishedKey | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const jwk = value as Record<string, unknown>;
  if (jwk.kty !== 'RSA' || (jwk.use !== undefined && jwk.use !== 'sig')) return undefined;
  if (typeof jwk.kid !== 'string' || jwk.kid === '' || typeof jwk.n !== 'string' || typeof jwk.e !== 'string') return undefined;
  if (!BASE64URL.test(jwk.n) || !BASE64URL.test(jwk.e) || jwk.n.replace(/^A+/, '').length < MIN_MODULUS_CHARS) return undefined;
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify'))) return undefined;
  return { kid: jwk.kid, n: jwk.n, e: jwk.e, issuer: typeof jwk.issuer === 'string' ? jwk.issuer : undefined };
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
