// Every verification test runs on both crypto paths: node:crypto KeyObjects and WebCrypto.
import { createVerifierWithBackend } from '../../src/verifier/create-verifier.js';
import { signatureBackend as nodeBackend } from '../../src/keys/crypto/node-crypto.js';
import type { SignatureBackend } from '../../src/keys/crypto/signature-backend.js';
import { signatureBackend as webBackend } from '../../src/keys/crypto/web-crypto.js';
import type { EntraVerifierConfig } from '../../src/index.js';

export const backends: Array<[string, SignatureBackend]> = [
  ['node:crypto', nodeBackend],
  ['WebCrypto', webBackend],
];

export function verifierFactory(backend: SignatureBackend) {
  return (options: EntraVerifierConfig) => createVerifierWithBackend(options, backend);
}

/** A backend that counts signature checks, to prove what the result cache skips. */
export function countingBackend(inner: SignatureBackend): SignatureBackend & { verifications: number; imports: number } {
  const counting = {
    name: inner.name,
    decodeBase64Url: inner.decodeBase64Url,
    asciiBytes: inner.asciiBytes,
    verifications: 0,
    imports: 0,
    importKey(jwk: Parameters<SignatureBackend['importKey']>[0], alg: string) {
      counting.imports++;
      return inner.importKey(jwk, alg);
    },
    verify(key: unknown, alg: string, input: Uint8Array, signature: Uint8Array) {
      counting.verifications++;
      return inner.verify(key, alg, input, signature);
    },
    ...(inner.verifySpread && {
      verifySpread(key: unknown, alg: string, input: Uint8Array, signature: Uint8Array) {
        counting.verifications++;
        return inner.verifySpread!(key, alg, input, signature);
      },
    }),
  };
  return counting;
}

/** A settable clock in epoch ms. */
export function manualClock(start = Date.now()) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
    set(ms: number) {
      now = ms;
    },
  };
}

/** Await a rejection and return the error, failing if the promise resolves. */
export async function rejection(promise: Promise<unknown>): Promise<import('../../src/index.js').EntraAuthError> {
  try {
    await promise;
  } catch (error) {
    return error as import('../../src/index.js').EntraAuthError;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** Collects events and lets a test await one (background refreshes finish on their own time). */
export function eventRecorder() {
  const events: import('../../src/index.js').EntraVerifierEvent[] = [];
  const waiters: Array<{ match: (e: (typeof events)[number]) => boolean; resolve: () => void }> = [];
  return {
    events,
    onEvent(event: (typeof events)[number]) {
      events.push(event);
      for (const waiter of [...waiters]) {
        if (waiter.match(event)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    },
    waitFor(match: (e: (typeof events)[number]) => boolean): Promise<void> {
      if (events.some(match)) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
  };
}
