// Types the published declarations use instead of the DOM lib's `RequestInfo` and `CryptoKey`.
// Neither name exists for a Node project without the DOM lib (`lib: ["es2023"], types: ["node"]`),
// and our .d.ts must compile there too (scripts/consumer-matrix.mjs checks it). Both types below are
// named only with globals that Node's types, the DOM lib, Workers, Bun and Deno all declare.
// (The testkit does not depend on @entra-verify/core, so it does not import core's equivalents.)

/**
 * A `fetch` function: what the fake's `fetch` handlers are. The same shape as `FetchLike` of
 * `@entra-verify/core`, so it plugs into a verifier's `fetch` option, and it fits wherever
 * `typeof fetch` is expected (Node's, undici's or the DOM's).
 */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * A WebCrypto key: exactly the key type the environment defines (the DOM lib's, or that of Node's
 * `webcrypto`), found through the global `crypto` whose types every runtime declares, as jose
 * finds it. Keys the testkit hands out pass to `crypto.subtle`, jose and `KeyObject.from()`, and
 * any real WebCrypto key passes in.
 */
export type CryptoKeyLike = Extract<
  Awaited<ReturnType<typeof crypto.subtle.generateKey>>,
  {
    /** Picks the key out of what `generateKey` resolves to: a key has a `type`, a key pair has none. */
    type: string;
  }
>;
