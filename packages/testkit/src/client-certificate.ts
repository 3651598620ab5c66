// A client certificate: for certificate-bound (mTLS PoP) tokens, where the test presents it on its
// TLS connection, and as a client app's credential, where the app signs client assertions with it.
import { exportPKCS8 } from 'jose';
import { certificateThumbprintS256 } from './mint.js';
import type { CryptoKeyLike } from './portable-types.js';
import { createSigningKey } from './signing-key.js';

/** A client certificate and its key pair, for `mint({ certificate })` and for `clientApps: [{ certificates }]`. */
export interface FakeClientCertificate {
  /** DER bytes of the self-signed certificate. */
  readonly certificate: Uint8Array<ArrayBuffer>;
  /** PEM of the certificate, for TLS clients. */
  readonly pem: string;
  /** `x5t#S256`: base64url SHA-256 of the DER bytes (RFC 8705 §3.1), as the token's `cnf` names it. */
  readonly thumbprintS256: string;
  /** Hex SHA-256 of the DER bytes: `clientCertificate.thumbprintSha256` of @azure/msal-node. */
  readonly thumbprintSha256Hex: string;
  /** Hex SHA-1 of the DER bytes: the older `clientCertificate.thumbprint` (assertions then carry `x5t`). */
  readonly thumbprintSha1Hex: string;
  /** The private key as PKCS #8 PEM: `clientCertificate.privateKey` of @azure/msal-node. */
  readonly privateKeyPem: string;
  /** The certificate's private key. */
  readonly privateKey: CryptoKeyLike;
  /** The certificate's public key. */
  readonly publicKey: CryptoKeyLike;
}

function toPem(der: Uint8Array): string {
  let binary = '';
  for (const byte of der) binary += String.fromCharCode(byte);
  const lines = btoa(binary).match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

const hex = (bytes: ArrayBuffer) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

export async function createClientCertificate(nowMs: number): Promise<FakeClientCertificate> {
  const key = await createSigningKey(nowMs);
  return {
    certificate: key.certificate,
    pem: toPem(key.certificate),
    thumbprintS256: await certificateThumbprintS256(key.certificate),
    thumbprintSha256Hex: hex(await crypto.subtle.digest('SHA-256', key.certificate)),
    thumbprintSha1Hex: hex(await crypto.subtle.digest('SHA-1', key.certificate)),
    privateKeyPem: await exportPKCS8(key.privateKey),
    privateKey: key.privateKey,
    publicKey: key.publicKey,
  };
}
