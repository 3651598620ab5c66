// Entra publishes each signing key with an x5c chain of one self-signed certificate.
// We write a real one (X.509 v3, sha256WithRSAEncryption) so x5c consumers see what they would
// see from Entra, and x5t is its true SHA-1 thumbprint.
import {
  bitString,
  explicit,
  nullValue,
  objectIdentifier,
  sequence,
  set,
  unsignedInteger,
  utcTime,
  utf8String,
} from './der.js';
import type { CryptoKeyLike } from './portable-types.js';

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const COMMON_NAME = '2.5.4.3';
/** The subject Entra uses for its token signing certificates. */
export const ENTRA_SIGNING_SUBJECT = 'accounts.accesscontrol.windows.net';

export interface SelfSignedCertificateOptions {
  publicKey: CryptoKeyLike;
  privateKey: CryptoKeyLike;
  commonName?: string;
  notBefore: Date;
  notAfter: Date;
}

export async function createSelfSignedCertificate(
  options: SelfSignedCertificateOptions,
): Promise<Uint8Array<ArrayBuffer>> {
  const signatureAlgorithm = sequence(objectIdentifier(SHA256_WITH_RSA), nullValue());
  const name = sequence(
    set(sequence(objectIdentifier(COMMON_NAME), utf8String(options.commonName ?? ENTRA_SIGNING_SUBJECT))),
  );
  const serial = crypto.getRandomValues(new Uint8Array(16));
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const subjectPublicKeyInfo = new Uint8Array(await crypto.subtle.exportKey('spki', options.publicKey));
  const tbsCertificate = sequence(
    explicit(0, unsignedInteger(Uint8Array.of(2))),
    unsignedInteger(serial),
    signatureAlgorithm,
    name,
    sequence(utcTime(options.notBefore), utcTime(options.notAfter)),
    name,
    subjectPublicKeyInfo,
  );
  const signature = new Uint8Array(
    await crypto.subtle.sign('RSASSA-PKCS1-v1_5', options.privateKey, tbsCertificate),
  );
  return sequence(tbsCertificate, signatureAlgorithm, bitString(signature));
}
