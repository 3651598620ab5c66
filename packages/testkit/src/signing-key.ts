// One RSA-2048 signing key shaped like Entra's: kid = x5t = SHA-1 thumbprint of a self-signed cert.
import { base64url, exportJWK, generateKeyPair } from 'jose';
import { createSelfSignedCertificate } from './self-signed-certificate.js';

/** A key as Entra publishes it in a JWKS document. */
export interface PublishedJwk {
  kty: 'RSA';
  use: 'sig';
  kid: string;
  x5t: string;
  n: string;
  e: string;
  x5c: string[];
  issuer?: string;
  cloud_instance_name?: string;
}

export interface FakeSigningKey {
  readonly kid: string;
  readonly x5t: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
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
