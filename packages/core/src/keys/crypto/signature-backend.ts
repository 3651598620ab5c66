// How signatures are checked, behind one small interface. The implementation is picked by the
// package's `#signature-backend` import condition: node:crypto KeyObjects on Node, WebCrypto
// through jose elsewhere. Nothing else in core asks which runtime it is on.
import type { Base64UrlCodec } from '../../token/base64url.js';

/** The public members of an RSA JWK that signature checks need. */
export interface RsaPublicJwk {
  kty: 'RSA';
  n: string;
  e: string;
}

/** One runtime's signature checks, with the byte helpers parsing uses. */
export interface SignatureBackend extends Base64UrlCodec {
  readonly name: 'node' | 'web';
  /** Import a key once; the result is cached by the key-set cache. */
  importKey(jwk: RsaPublicJwk, alg: string): Promise<unknown>;
  verify(key: unknown, alg: string, signingInput: Uint8Array, signature: Uint8Array): boolean | Promise<boolean>;
  /** `offload: 'auto'`: like verify, on the thread pool when verifications overlap (Node only; absent elsewhere). */
  verifySpread?(key: unknown, alg: string, signingInput: Uint8Array, signature: Uint8Array): boolean | Promise<boolean>;
}
