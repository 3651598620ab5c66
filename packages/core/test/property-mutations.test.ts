// Property-based: any mutation of a valid token is refused with an EntraAuthError, never accepted,
// never another exception, never a hang. The number of cases tried is printed with the results.
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { EntraAuthError, extractBearerToken, type EntraVerifier } from '../src/index.js';
import { backends, verifierFactory } from './support/backends.js';

const RUNS = 300;
let entra: FakeEntra;
let valid: string;
beforeAll(async () => {
  entra = await createFakeEntra();
  valid = await entra.mint();
});

const b64 = (text: string) => Buffer.from(text).toString('base64url');

/** Mutations of a valid token; every one must be refused (none can keep a valid signature). */
const mutation = () =>
  fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 6 }) }),
    fc.record({ kind: fc.constant('swap' as const), order: fc.constantFrom([1, 0, 2], [0, 2, 1], [2, 1, 0]) }),
    fc.record({ kind: fc.constant('claim' as const), name: fc.constantFrom('aud', 'iss', 'tid', 'exp', 'nbf', 'scp', 'roles', 'azp', 'oid', 'ver', 'sub'), value: fc.jsonValue() }),
    fc.record({ kind: fc.constant('header' as const), name: fc.constantFrom('alg', 'kid', 'crit', 'jku', 'jwk', 'x5u', 'b64', 'typ', 'nonce', 'x5t'), value: fc.jsonValue() }),
    fc.record({ kind: fc.constant('truncate' as const), length: fc.nat() }),
    fc.record({ kind: fc.constant('append' as const), text: fc.string({ unit: 'binary', maxLength: 40 }) }),
    fc.record({ kind: fc.constant('unicode' as const), text: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), at: fc.nat() }),
    fc.record({ kind: fc.constant('length' as const), size: fc.integer({ min: 0, max: 1024 * 1024 }) }),
  );

type Mutation = ReturnType<typeof mutation> extends fc.Arbitrary<infer T> ? T : never;

function mutate(token: string, m: Mutation): string {
  const parts = token.split('.');
  switch (m.kind) {
    case 'flip': {
      const at = m.at % token.length;
      const code = token.charCodeAt(at) ^ (1 << m.bit);
      return token.slice(0, at) + String.fromCharCode(code === token.charCodeAt(at) ? code ^ 1 : code) + token.slice(at + 1);
    }
    case 'swap':
      return m.order.map((i) => parts[i]).join('.');
    case 'claim': {
      const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString()) as Record<string, unknown>;
      claims[m.name] = m.value;
      return `${parts[0]}.${b64(JSON.stringify(claims))}.${parts[2]}`;
    }
    case 'header': {
      const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString()) as Record<string, unknown>;
      header[m.name] = m.value;
      return `${b64(JSON.stringify(header))}.${parts[1]}.${parts[2]}`;
    }
    case 'truncate':
      return token.slice(0, m.length % token.length);
    case 'append':
      return token + (m.text || 'x');
    case 'unicode': {
      const at = m.at % token.length;
      return token.slice(0, at) + m.text + token.slice(at);
    }
    case 'length':
      return 'A'.repeat(m.size);
  }
}

/** A mutation can reproduce the original token (e.g. setting a claim to its own value). */
const changes = (token: string) => token !== valid;

async function refused(verifier: EntraVerifier, token: string): Promise<boolean> {
  const outcome = await Promise.race([
    verifier.verify(token).then(
      () => 'accepted',
      (error: unknown) => (error instanceof EntraAuthError ? 'refused' : `crashed: ${String(error)}`),
    ),
    new Promise((resolve) => setTimeout(() => resolve('hung'), 5_000)),
  ]);
  if (outcome !== 'refused') throw new Error(`${outcome} for a mutated token of ${token.length} chars`);
  return true;
}

describe.each(backends)('mutated tokens (%s)', (_name, backend) => {
  it(`are always refused with an EntraAuthError (${RUNS} cases)`, async () => {
    const verifier = verifierFactory(backend)({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, resultCache: false });
    await verifier.verify(valid);
    let tried = 0;
    await fc.assert(
      fc.asyncProperty(mutation(), async (m) => {
        const token = mutate(valid, m);
        fc.pre(changes(token));
        tried++;
        return refused(verifier, token);
      }),
      { numRuns: RUNS },
    );
    console.log(`property: ${tried} mutated tokens refused (${backend.name})`);
    expect(tried).toBeGreaterThan(RUNS / 2);
  });
});

describe('random Authorization header values', () => {
  it(`give a token or an EntraAuthError, never another exception (${RUNS * 3} cases)`, () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string().map((s) => `Bearer ${s}`), fc.array(fc.string(), { maxLength: 3 })), (value) => {
        try {
          expect(typeof extractBearerToken(value)).toBe('string');
        } catch (error) {
          expect(error).toBeInstanceOf(EntraAuthError);
        }
      }),
      { numRuns: RUNS * 3 },
    );
  });
});
