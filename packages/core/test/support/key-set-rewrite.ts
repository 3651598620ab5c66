// A fetch in front of the fake Entra that rewrites its key-set responses: to publish hostile keys
// beside the real ones, or to make a key flap the way Microsoft's front ends do.
import type { FakeEntra } from '@entra-verify/testkit';

/** A JWK as a test edits it. */
export type Jwk = Record<string, unknown>;

/** A key set as a test edits it. */
export interface KeySetDocument {
  keys: Jwk[];
  [member: string]: unknown;
}

/**
 * `entra.fetch`, with every key-set response passed through `rewrite` (its argument is a fresh
 * copy; `call` counts key-set responses from 0). Other endpoints are untouched.
 */
export function rewritingFetch(entra: FakeEntra, rewrite: (document: KeySetDocument, call: number) => unknown): typeof fetch {
  let calls = 0;
  return async (input, init) => {
    const response = await entra.fetch(input, init);
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (!url.pathname.endsWith('/keys') || response.status !== 200) return response;
    const document = (await response.json()) as KeySetDocument;
    return Response.json(rewrite(document, calls++));
  };
}

/** Drops `kid` from every other key-set response (the 2nd, 4th, …), like a key-set flap. */
export function flappingFetch(entra: FakeEntra, kid: () => string): typeof fetch {
  return rewritingFetch(entra, (document, call) => (call % 2 === 1 ? { ...document, keys: document.keys.filter((key) => key.kid !== kid()) } : document));
}

/** The JWK the fake publishes for `kid` (with `issuer` and `cloud_instance_name`). */
export async function publishedJwk(entra: FakeEntra, kid: string): Promise<Jwk> {
  const document = (await (await entra.fetch(entra.jwksUri())).json()) as KeySetDocument;
  const found = document.keys.find((key) => key.kid === kid);
  if (!found) throw new Error(`key ${kid} is not published`);
  return found;
}
