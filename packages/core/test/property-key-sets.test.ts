// Property-based: whatever a key-set refresh answers (malformed JSON, wrong types, huge bodies,
// duplicate kids, encryption keys, non-RSA keys, short RSA keys, unsound exponents, keys bound to
// other algorithms, another cloud's keys), the verifier neither crashes nor replaces the good keys
// it has.
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { backends, eventRecorder, manualClock, verifierFactory } from './support/backends.js';

const RUNS = 120;
let entra: FakeEntra;
let token: string;
let goodKey: Record<string, unknown>;
beforeAll(async () => {
  entra = await createFakeEntra();
  token = await entra.mint({ expiresIn: 7 * 24 * 3600 });
  goodKey = ((await (await entra.fetch(entra.jwksUri())).json()) as { keys: Array<Record<string, unknown>> }).keys[0]!;
});

/** Bodies a broken or hostile key endpoint might send; none carries the signing key intact. */
const badBody = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.jsonValue().map((v) => JSON.stringify({ keys: v })),
    fc.array(fc.dictionary(fc.constantFrom('kty', 'kid', 'use', 'n', 'e', 'alg', 'key_ops', 'issuer', 'cloud_instance_name'), fc.jsonValue()), { maxLength: 5 }).map((keys) => JSON.stringify({ keys })),
    // The good key's own kid, republished unusable: e = 1, 2 or even, bound to an encryption alg,
    // or from another cloud. Each must be refused, not replace the good key.
    fc.constantFrom({ e: 'AQ' }, { e: 'Ag' }, { e: 'AQAC' }, { e: 'AAAB' }, { alg: 'RSA-OAEP' }, { alg: 7 }, { cloud_instance_name: 'microsoftonline.us' }, { cloud_instance_name: 42 }).map((edit) =>
      JSON.stringify({ keys: [{ ...goodKey, ...edit }] }),
    ),
    fc.constantFrom('enc', 'EC', 'oct', 'short', 'dup').map((variant) => {
      const key = { ...goodKey, kid: `${String(goodKey.kid)}-other` };
      if (variant === 'enc') return JSON.stringify({ keys: [{ ...key, use: 'enc' }] });
      if (variant === 'EC') return JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', kid: key.kid, x: 'AAAA', y: 'AAAA' }] });
      if (variant === 'oct') return JSON.stringify({ keys: [{ kty: 'oct', kid: key.kid, k: 'c2VjcmV0' }] });
      if (variant === 'short') return JSON.stringify({ keys: [{ ...key, n: 'AQAB' }] });
      return JSON.stringify({ keys: [{ ...key, use: 'enc' }, { ...key, use: 'enc' }] });
    }),
    fc.integer({ min: 1, max: 3 }).map((mib) => `{"keys":[],"pad":"${'x'.repeat(mib * 1024 * 1024)}"}`),
  );

describe.each(backends)('random key-set refreshes (%s)', (_name, backend) => {
  it(`never crash the verifier and never replace good keys (${RUNS} cases)`, async () => {
    let tried = 0;
    await fc.assert(
      fc.asyncProperty(badBody(), fc.boolean(), async (body, slow) => {
        tried++;
        const clock = manualClock();
        const recorder = eventRecorder();
        let serveBad = false;
        const fetchImpl: typeof fetch = async (input, init) => {
          if (!serveBad) return entra.fetch(input, init);
          // A slow body arrives in pieces; the size cap and the parser must cope either way.
          const stream = new ReadableStream<Uint8Array>({
            start(controller) {
              const bytes = new TextEncoder().encode(body);
              const step = slow ? Math.max(1, Math.ceil(bytes.length / 4)) : bytes.length || 1;
              for (let at = 0; at < bytes.length; at += step) controller.enqueue(bytes.subarray(at, at + step));
              controller.close();
            },
          });
          return new Response(stream, { status: 200, headers: { 'content-type': 'application/json' } });
        };
        const verifier = verifierFactory(backend)({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: fetchImpl, now: clock.now, resultCache: false, onEvent: recorder.onEvent });
        await verifier.warm();
        serveBad = true;
        clock.advance(14 * 3600_000);
        await verifier.verify(token); // triggers the refresh in the background
        await recorder.waitFor((e) => e.type === 'key_set_fetch_failed' || (e.type === 'key_set_fetched' && e.reason === 'refresh'));
        await verifier.diagnose(token); // a rule-by-rule pass, too, must not throw
        const auth = await verifier.verify(token);
        expect(auth.tenantId).toBe(entra.tenantId);
        verifier.close();
        return true;
      }),
      { numRuns: RUNS },
    );
    console.log(`property: ${tried} hostile key-set refreshes survived, good keys kept (${backend.name})`);
  });
});
