// One RSA-2048 signing key shaped like Entra's: kid = x5t = SHA-1 thumbprint of a self-signed cert.
import { base64url, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKeyLike } from './portable-types.js';
import { createSelfSignedCertificate } from './self-signed-certificate.js';

/** A key as Entra publishes it in a JWKS document. */
export interface PublishedJwk {
  /** Key type. */
  kty: 'RSA';
  /** Signature keys only. */
  use: 'sig';
  /** Key id, as tokens name it in their header. */
  kid: string;
  /** SHA-1 thumbprint of the certificate; equals `kid` on Entra. */
  x5t: string;
  /** RSA modulus, base64url. */
  n: string;
  /** RSA public exponent, base64url. */
  e: string;
  /** The self-signed certificate (DER, standard base64). */
  x5c: string[];
  /** The issuer tokens signed by this key carry (`{tenantid}` on common v2 key sets). */
  issuer?: string;
  /** The cloud, e.g. `microsoftonline.com`. */
  cloud_instance_name?: string;
}

/** A signing key of the fake, with its private half for minting. */
export interface FakeSigningKey {
  /** Key id (the certificate's thumbprint). */
  readonly kid: string;
  /** SHA-1 thumbprint of the certificate, base64url. */
  readonly x5t: string;
  /** Signs tokens. */
  readonly privateKey: CryptoKeyLike;
  /** Verifies them. */
  readonly publicKey: CryptoKeyLike;
  /** The public JWK without the Entra-specific `issuer` and `cloud_instance_name` fields. */
  readonly jwk: Omit<PublishedJwk, 'issuer' | 'cloud_instance_name'>;
  /** DER bytes of the self-signed certificate published in `x5c`. */
  readonly certificate: Uint8Array<ArrayBuffer>;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

function toStandardBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export async function createSigningKey(nowMs: number): Promise<FakeSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', {
    modulusLength: 2048,
    extractable: true,
  });
  const certificate = await createSelfSignedCertificate({
    publicKey,
    privateKey,
    notBefore: new Date(nowMs - YEAR_MS),
    notAfter: new Date(nowMs + 2 * YEAR_MS),
  });
  const thumbprint = new Uint8Array(await crypto.subtle.digest('SHA-1', certificate));
  const x5t = base64url.encode(thumbprint);
  const { n, e } = await exportJWK(publicKey);
  if (!n || !e) throw new Error('RSA public key export lacks n or e');
  return {
    kid: x5t,
    x5t,
    privateKey,
    publicKey,
    certificate,
    jwk: { kty: 'RSA', use: 'sig', kid: x5t, x5t, n, e, x5c: [toStandardBase64(certificate)] },
  };
}
