// WebCrypto path for Bun, Deno, workerd and browsers: jose imports the JWK, WebCrypto verifies.
import { importJWK } from 'jose';
import { asciiBytes, decodeBase64Url } from '../../token/base64url.js';
import type { RsaPublicJwk, SignatureBackend } from './signature-backend.js';

const PARAMS: Record<string, AlgorithmIdentifier | RsaPssParams> = {
  RS256: { name: 'RSASSA-PKCS1-v1_5' },
  RS384: { name: 'RSASSA-PKCS1-v1_5' },
  RS512: { name: 'RSASSA-PKCS1-v1_5' },
  PS256: { name: 'RSA-PSS', saltLength: 32 } as RsaPssParams,
  PS384: { name: 'RSA-PSS', saltLength: 48 } as RsaPssParams,
  PS512: { name: 'RSA-PSS', saltLength: 64 } as RsaPssParams,
};

export const signatureBackend: SignatureBackend = {
  name: 'web',
  decodeBase64Url,
  asciiBytes,
  async importKey(jwk: RsaPublicJwk, alg: string) {
    return importJWK({ kty: 'RSA', n: jwk.n, e: jwk.e }, alg);
  },
  async verify(key, alg, signingInput, signature) {
    const params = PARAMS[alg];
    if (!params) return false;
    return crypto.subtle.verify(params, key as CryptoKey, signature as Uint8Array<ArrayBuffer>, signingInput as Uint8Array<ArrayBuffer>);
  },
};
