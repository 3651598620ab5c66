// Node fast path: KeyObjects and the synchronous node:crypto verify, several times faster than
// WebCrypto on Node because it skips the promise and the thread-pool hop per signature. With
// `offload: 'auto'`, overlapping checks use the thread pool (offload-scheduler.ts).
import { constants, createPublicKey, verify, type KeyObject, type VerifyKeyObjectInput } from 'node:crypto';
import { hasZeroPadBits } from '../../token/base64url.js';
import { OffloadScheduler } from './offload-scheduler.js';
import type { RsaPublicJwk, SignatureBackend } from './signature-backend.js';

const DIGESTS: Record<string, { digest: string; pss: boolean }> = {
  RS256: { digest: 'sha256', pss: false },
  RS384: { digest: 'sha384', pss: false },
  RS512: { digest: 'sha512', pss: false },
  PS256: { digest: 'sha256', pss: true },
  PS384: { digest: 'sha384', pss: true },
  PS512: { digest: 'sha512', pss: true },
};

/**
 * Strict base64url with Buffer's native decoder, without a regex pass over the segment. Buffer
 * skips characters outside its alphabet, so any such character makes the output shorter than the
 * length says (for lengths that are not 1 mod 4, 6 bits per character always add up to fewer whole
 * bytes); it also reads base64's `+` `/` and `=`, refused here by a native scan; non-ASCII text is
 * refused first (a two-byte character could otherwise be read as its low byte); and set pad bits
 * are refused as by the shared decoder, so both accept exactly the same strings.
 */
function decodeBase64Url(segment: string): Uint8Array | undefined {
  const length = segment.length;
  if (length % 4 === 1 || Buffer.byteLength(segment, 'utf8') !== length || !hasZeroPadBits(segment)) return undefined;
  if (segment.includes('+') || segment.includes('/') || segment.includes('=')) return undefined;
  const bytes = Buffer.from(segment, 'base64url');
  return bytes.length === Math.floor((length * 3) / 4) ? bytes : undefined;
}

function verifyInput(key: unknown, pss: boolean): KeyObject | VerifyKeyObjectInput {
  const keyObject = key as KeyObject;
  return pss ? { key: keyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : keyObject;
}

const scheduler = new OffloadScheduler((callback) => setImmediate(callback));

export const signatureBackend: SignatureBackend = {
  name: 'node',
  decodeBase64Url,
  asciiBytes: (text) => Buffer.from(text, 'latin1'),
  async importKey(jwk: RsaPublicJwk) {
    return createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
  },
  verify(key, alg, signingInput, signature) {
    const spec = DIGESTS[alg];
    if (!spec) return false;
    return verify(spec.digest, signingInput, verifyInput(key, spec.pss), signature);
  },
  verifySpread(key, alg, signingInput, signature) {
    const spec = DIGESTS[alg];
    if (!spec) return false;
    if (!scheduler.offload()) return verify(spec.digest, signingInput, verifyInput(key, spec.pss), signature);
    const mark = scheduler.mark;
    return new Promise<boolean>((resolve, reject) => {
      verify(spec.digest, signingInput, verifyInput(key, spec.pss), signature, (error, valid) => {
        scheduler.returned(mark);
        if (error) reject(error);
        else resolve(valid);
      });
    });
  },
};
