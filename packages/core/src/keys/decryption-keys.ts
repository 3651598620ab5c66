// The `decryptionKeys` option: the private keys of the API's token-encryption certificates,
// checked once when the verifier is made.
//
// Entra encrypts every token it issues for an app registration whose `tokenEncryptionKeyId`
// points at one of its `keyCredentials` (usage "Encrypt"); the API decrypts with the matching
// private key. Sources: Microsoft Graph, application resource type, `tokenEncryptionKeyId`
// (https://learn.microsoft.com/graph/api/resources/application); Microsoft.Identity.Web's
// "Token Decryption" guide, AzureAD/microsoft-identity-web docs/wiki-archive/Token-Decryption.md
// (keyCredentials usage "Encrypt", TokenDecryptionCertificates).
import type { KeyObjectLike } from '../options.js';
import { typeName } from '../printable.js';

/** A decryption key as verification uses it: what jose's compactDecrypt accepts, and how to select it. */
export interface ResolvedDecryptionKey {
  /** A frozen copy of a JWK, or the CryptoKey / KeyObject as given (jose imports each once and caches it). */
  readonly key: object;
  readonly kid: string | undefined;
  readonly x5t: string | undefined;
  /** How hints name the key: `kid "…"` or `key #2`. */
  readonly label: string;
}

const tagOf = (value: object): unknown => (value as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag];

function keyLike(value: object, where: string, fail: (message: string) => never): object | undefined {
  const tag = tagOf(value);
  if (tag === 'CryptoKey') {
    const key = value as CryptoKey;
    if (key.type !== 'private' || key.algorithm?.name !== 'RSA-OAEP') fail(`${where} is a CryptoKey of type "${key.type}" for ${key.algorithm?.name}; it must be a private RSA-OAEP key (importKey with { name: 'RSA-OAEP', hash: 'SHA-1' } for RSA-OAEP tokens or 'SHA-256' for RSA-OAEP-256)`);
    return value;
  }
  if (tag === 'KeyObject') {
    const key = value as KeyObjectLike;
    if (key.type !== 'private' || key.asymmetricKeyType !== 'rsa') fail(`${where} is a KeyObject of type "${key.type}" (${String(key.asymmetricKeyType)}); it must be a private RSA key (crypto.createPrivateKey(pem))`);
    return value;
  }
  return undefined;
}

function resolveOne(entry: unknown, index: number, fail: (message: string) => never): ResolvedDecryptionKey {
  const where = `decryptionKeys[${index}]`;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return fail(`${where} must be a private RSA JWK, a CryptoKey or a KeyObject, got ${typeName(entry)}`);
  const direct = keyLike(entry, where, fail);
  if (direct) return { key: direct, kid: undefined, x5t: undefined, label: `key #${index + 1}` };
  const record = entry as Record<string, unknown>;
  if ('key' in record && !('kty' in record)) {
    if (typeof record.kid !== 'string' || record.kid === '') fail(`${where}.kid must be a non-empty string`);
    const wrapped = typeof record.key === 'object' && record.key !== null ? keyLike(record.key, `${where}.key`, fail) : undefined;
    if (!wrapped) fail(`${where}.key must be a CryptoKey or a KeyObject (give a JWK directly, with its kid)`);
    return { key: wrapped!, kid: record.kid as string, x5t: undefined, label: `kid "${record.kid as string}"` };
  }
  if (record.kty !== 'RSA') fail(`${where} must be an RSA key (kty "RSA"): Entra encrypts the content key with RSA-OAEP`);
  for (const member of ['n', 'e'] as const) if (typeof record[member] !== 'string') fail(`${where}.${member} must be a base64url string`);
  if (typeof record.d !== 'string') fail(`${where} is a public key (no "d"); decryption needs the private key of the token-encryption certificate`);
  if (record.use !== undefined && record.use !== 'enc') fail(`${where}.use must be "enc" when present`);
  if (record.alg !== undefined && record.alg !== 'RSA-OAEP' && record.alg !== 'RSA-OAEP-256') fail(`${where}.alg must be "RSA-OAEP" or "RSA-OAEP-256" when present`);
  for (const member of ['kid', 'x5t'] as const) if (record[member] !== undefined && typeof record[member] !== 'string') fail(`${where}.${member} must be a string`);
  // A copy: jose freezes the JWK it is given and caches the imported key by object, so the
  // caller's object stays theirs and a later change to it cannot change what we decrypt with.
  const key = Object.freeze({ ...record });
  const kid = record.kid as string | undefined;
  return { key, kid, x5t: record.x5t as string | undefined, label: kid ? `kid "${kid}"` : `key #${index + 1}` };
}

/** Check the option once, at start-up; undefined when it is not set. */
export function resolveDecryptionKeys(value: unknown, fail: (message: string) => never): readonly ResolvedDecryptionKey[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    return fail('decryptionKeys must be a non-empty array of private keys (JWK, CryptoKey or KeyObject) of the certificate the app registration encrypts tokens with');
  }
  return Object.freeze(value.map((entry, index) => resolveOne(entry, index, fail)));
}
