// Option types the lower layers share (key sets, decryption keys, tenant policy, algorithms);
// the verifier's options as users write them are in verifier/verifier-options.ts.

/** A private RSA key as a JSON Web Key (RFC 7517), e.g. exported from the encryption certificate's PFX / PEM. */
export interface PrivateRsaJwk {
  /** Always `RSA`: Entra encrypts the content key with RSA-OAEP. */
  kty: 'RSA';
  /** Modulus (base64url). */
  n: string;
  /** Public exponent (base64url). */
  e: string;
  /** Private exponent (base64url): a public key cannot decrypt. */
  d: string;
  /** Selects this key when an encrypted token's header carries the same `kid`. */
  kid?: string;
  /** Selects this key when an encrypted token's header carries the same `x5t` (SHA-1 certificate thumbprint). */
  x5t?: string;
  /** When present, the only key-management algorithm this key is used with. */
  alg?: 'RSA-OAEP' | 'RSA-OAEP-256';
  /** When present, must be `enc`. */
  use?: 'enc';
  /** The CRT members (`p`, `q`, `dp`, `dq`, `qi`) and any others. */
  [member: string]: unknown;
}

/** A Node.js `KeyObject` (from `crypto.createPrivateKey()`), described structurally so core needs no Node types. */
export interface KeyObjectLike {
  /** `private` for a decryption key. */
  readonly type: string;
  /** `rsa` for a decryption key. */
  readonly asymmetricKeyType?: string;
}

/**
 * A WebCrypto `CryptoKey`, described structurally: the DOM lib's `CryptoKey` type does not exist
 * for a Node project without it (`lib: ["es2023"], types: ["node"]`), and every runtime's keys fit.
 */
export interface CryptoKeyLike {
  /** `private` for a decryption key. */
  readonly type: string;
  /** The algorithm the key was imported for: `RSA-OAEP` for a decryption key. */
  readonly algorithm: {
    /** The algorithm's name. */
    readonly name: string;
  };
  /** Whether the key can be exported. */
  readonly extractable: boolean;
  /** What the key may do (`decrypt`, `unwrapKey`). */
  readonly usages: readonly string[];
}

/**
 * The `fetch` option's type: what every runtime's fetch accepts (Node's, undici's, the DOM's,
 * Workers', the testkit's), named with types every target has, so no DOM lib is needed.
 */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * One entry of `decryptionKeys`: a private RSA JWK, a WebCrypto `CryptoKey` (RSA-OAEP, type
 * `private`), a Node.js `KeyObject`, or either of the last two with the `kid` that selects it.
 */
export type DecryptionKey =
  | PrivateRsaJwk
  | CryptoKeyLike
  | KeyObjectLike
  | {
      /** The JWE `kid` this key answers to. */
      kid: string;
      /** The private key. */
      key: CryptoKeyLike | KeyObjectLike;
    };

/** Which tenants a multi-tenant API serves: tenant GUIDs, `['*']` for any, or a callback (may be async). */
export type TenantPolicy = readonly string[] | ((tenantId: string) => boolean | Promise<boolean>);

/** Signature algorithms the verifier can check (Entra signs access tokens with RS256). */
export type SupportedAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512';

/** How signing key sets are fetched and cached. */
export interface JwksOptions {
  /** Refresh a key set this often, with ±10 % jitter. Default 12 h. */
  refreshIntervalMs?: number;
  /** An unknown `kid` triggers at most one refetch per key set per this interval. Default 5 min. */
  unknownKidCooldownMs?: number;
  /** Give up on a key-set request after this long. Default 5 s. */
  timeoutMs?: number;
  /** Refuse key-set responses larger than this. Default 1 MiB. */
  maxResponseBytes?: number;
  /** Keep serving the last good keys this long after a refresh was due and failed. Default 24 h. */
  staleIfErrorMs?: number;
  /** Key sets (one per URL) kept in the LRU. Default 16. */
  maxEntries?: number;
}
