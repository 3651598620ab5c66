// Node fast path: KeyObjects and the synchronous node:crypto verify, several times faster than
// WebCrypto on Node because it skips the promise and the thread-pool hop per signature.
import { constants, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { hasZeroPadBits } from '../../token/base64url.js';
import type { RsaPublicJwk, SignatureBackend } from './signature-backend.js';

const DIGESTS: Record<string, { digest: string; pss: boolean }> = {
  RS256: { digest: 'sha256', pss: false },
  RS384: { digest: 'sha384', pss: false },
  RS512: { digest: 'sha512', pss: false },
  PS256: { digest: 'sha256', pss: true },
  PS384: { digest: 'sha384', pss: true },
  PS512: { digest: 'sha512', pss: true },
};

const BASE64URL = /^[A-Za-z0-9_-]*$/;

export const signatureBackend: SignatureBackend = {
  name: 'node',
  // Buffer's decoder skips characters outside the alphabet and ignores set pad bits, so both are
  // checked first (the shared decoder refuses the same inputs).
  decodeBase64Url: (segment) => (BASE64URL.test(segment) && segment.length % 4 !== 1 && hasZeroPadBits(segment) ? Buffer.from(segment, 'base64url') : undefined),
  asciiBytes: (text) => Buffer.from(text, 'latin1'),
  async importKey(jwk: RsaPublicJwk) {
    return createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
  },
  verify(key, alg, signingInput, signature) {
    const spec = DIGESTS[alg];
    if (!spec) return false;
    const keyObject = key as KeyObject;
    return spec.pss
      ? verify(spec.digest, signingInput, { key: keyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, signature)
      : verify(spec.digest, signingInput, keyObject, signature);
  },
};
