// How signatures are checked, behind one small interface. The implementation is picked by the
// package's `#signature-backend` import condition: node:crypto KeyObjects on Node, WebCrypto
// through jose elsewhere. Nothing else in core asks which runtime it is on.

/** The public members of an RSA JWK that signature checks need. */
export interface RsaPublicJwk {
  kty: 'RSA';
  n: string;
  e: string;
}

export interface SignatureBackend {
  readonly name: 'node' | 'web';
  /** Strict base64url decoding (undefined for characters outside the alphabet): native on Node. */
  decodeBase64Url(segment: string): Uint8Array | undefined;
  /** Bytes of an ASCII string (the JWS signing input). */
  asciiBytes(text: string): Uint8Array;
  /** Import a key once; the result is cached by the key-set cache. */
  importKey(jwk: RsaPublicJwk, alg: string): Promise<unknown>;
  verify(key: unknown, alg: string, signingInput: Uint8Array, signature: Uint8Array): boolean | Promise<boolean>;
}
