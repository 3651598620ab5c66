// Token encryption for an API registration that has a token-encryption key: Entra wraps the signed
// token in a compact JWE for the API's public key, and only the API can open it.
// https://learn.microsoft.com/entra/msidweb/authentication/token-decryption: "Microsoft Entra
// supports RSA-OAEP and RSA-OAEP-256 key wrapping algorithms"; the payload is encrypted with a
// symmetric content-encryption key. The page names no `enc`, so the fake lets the test choose.
import { base64url, CompactEncrypt, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { CryptoKeyLike } from './portable-types.js';

/** Key-wrapping algorithms Entra supports for token encryption. */
export type TokenEncryptionAlgorithm = 'RSA-OAEP' | 'RSA-OAEP-256';
/** Content-encryption algorithms the fake can use. */
export type TokenContentEncryption = 'A256GCM' | 'A128GCM' | 'A256CBC-HS512' | 'A128CBC-HS256';

/** An API's token-encryption key pair; give `privateKey` to the verifier under test. */
export interface FakeEncryptionKey {
  /** Key id, written to the JWE header. */
  readonly kid: string;
  /** Key wrapping, e.g. `RSA-OAEP-256`. */
  readonly alg: TokenEncryptionAlgorithm;
  /** Content encryption, e.g. `A256GCM`. */
  readonly enc: TokenContentEncryption;
  /** Entra encrypts with this (the public half uploaded to the app registration). */
  readonly publicKey: CryptoKeyLike;
  /** The API decrypts with this. */
  readonly privateKey: CryptoKeyLike;
  /** The private key as a JWK, for verifiers configured from JSON. */
  readonly privateJwk: JWK;
}

/** How to encrypt an API's tokens; every field has a default. */
export interface TokenEncryptionOptions {
  /** Default `RSA-OAEP-256`. */
  alg?: TokenEncryptionAlgorithm;
  /** Default `A256GCM`. */
  enc?: TokenContentEncryption;
  /** Bring your own key pair (extractable, RSA-OAEP) instead of a generated RSA-2048 one. */
  keyPair?: {
    /** Entra encrypts with it. */
    publicKey: CryptoKeyLike;
    /** The API decrypts with it. */
    privateKey: CryptoKeyLike;
  };
}

export async function createEncryptionKey(options: TokenEncryptionOptions = {}): Promise<FakeEncryptionKey> {
  const alg = options.alg ?? 'RSA-OAEP-256';
  const pair = options.keyPair ?? (await generateKeyPair(alg, { modulusLength: 2048, extractable: true }));
  const privateJwk = await exportJWK(pair.privateKey);
  const kid = base64url.encode(crypto.getRandomValues(new Uint8Array(20)));
  return { kid, alg, enc: options.enc ?? 'A256GCM', publicKey: pair.publicKey, privateKey: pair.privateKey, privateJwk: { ...privateJwk, kid, alg } };
}

/** Wrap a signed token: `cty: "JWT"` marks a nested JWT (RFC 7519 §5.2). */
export function encryptToken(signedToken: string, key: FakeEncryptionKey): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(signedToken))
    .setProtectedHeader({ alg: key.alg, enc: key.enc, kid: key.kid, typ: 'JWT', cty: 'JWT' })
    .encrypt(key.publicKey);
}
