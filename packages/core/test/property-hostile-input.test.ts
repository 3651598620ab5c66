// Property-based: tokens made by someone hostile (nesting 10,000 deep, arrays of 10,000 entries,
// 12,000 "/" then "x", control and bidi characters, every JSON type in every registered claim and
// header member; signed with random bytes or, to reach the rules after the signature, with a
// testkit key) are refused with an EntraAuthError or accepted, never anything else; diagnose()
// always explains them; and nothing the token wrote reaches a hint, a description, an error
// message or an event with its control characters intact. Case counts are printed.
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertPrintable, baseOf, hostileToken, hostileTokenSpec, namedHostileSpecs, recordUnhandledRejections, type HostileTokenBase, type HostileTokenSpec } from '../../../test-support/hostile-token-property.js';
import { EntraAuthError, type AuthRequirement, type EntraVerifier, type EntraVerifierEvent } from '../src/index.js';
import { backends, verifierFactory } from './support/backends.js';

/** Generated tokens per crypto path, each through verify() and diagnose(): about 4 s per path on a 2-core machine. */
const RUNS = 300;
const HANG_MS = 5_000;

let entra: FakeEntra;
let base: HostileTokenBase;
beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read'], appRoles: ['Data.Read.All'] }] });
  base = baseOf(await entra.mint({ expiresIn: 24 * 3600 }), entra.keys.current.privateKey);
});

// Node, Bun and Deno report unhandled rejections on process; the Worker build of this suite may not.
let unhandled: ReturnType<typeof recordUnhandledRejections>;
beforeAll(() => void (unhandled = recordUnhandledRejections()));
afterAll(() => expect(unhandled.stop()).toEqual([]));

const requirements: Array<AuthRequirement | undefined> = [undefined, { scopes: ['Data.Read'] }, { roles: ['Data.Read.All'] }, { scopes: ['Data.Read'], roles: ['Data.Read.All'], match: 'any' }];

interface Outcome {
  accepted: boolean;
  code?: string;
}

function assertPrintableError(where: string, error: EntraAuthError): void {
  assertPrintable(`${where} (${error.code}) description`, error.description);
  assertPrintable(`${where} (${error.code}) hint`, error.hint);
  assertPrintable(`${where} (${error.code}) message`, error.message);
}

/** verify(): settles in time, refuses with an EntraAuthError (or accepts a validly signed token), and emits printable events. */
async function verifyOnce(verifier: EntraVerifier, events: EntraVerifierEvent[], token: string, spec: HostileTokenSpec, requirement: AuthRequirement | undefined): Promise<Outcome> {
  events.length = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const settled = await Promise.race([
    verifier.verify(token, requirement).then(
      () => ({ accepted: true as const }),
      (error: unknown) => ({ accepted: false as const, error }),
    ),
    new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), HANG_MS))),
  ]);
  clearTimeout(timer);
  if (settled === 'hung') throw new Error('verify() did not settle');
  if (settled.accepted) {
    if (spec.signing !== 'testkit') throw new Error('verify() accepted a token with a forged signature');
    return { accepted: true };
  }
  const { error } = settled;
  if (!(error instanceof EntraAuthError)) throw new Error(`verify() rejected with ${Object.prototype.toString.call(error)} ${String(error)}, not an EntraAuthError`);
  assertPrintableError('verify()', error);
  const rejected = events.filter((e) => e.type === 'token_rejected');
  expect(rejected).toHaveLength(1);
  for (const event of rejected) assertPrintable('the token_rejected event', event.description, event.hint);
  return { accepted: false, code: error.code };
}

/** diagnose(): never throws, always lists checks, and every failed check carries a printable EntraAuthError. */
async function diagnoseOnce(verifier: EntraVerifier, token: string, requirement: AuthRequirement | undefined): Promise<string[]> {
  const diagnosis = await verifier.diagnose(token, requirement);
  expect(diagnosis.checks.length).toBeGreaterThan(0);
  const codes: string[] = [];
  for (const check of diagnosis.checks) {
    if (check.outcome !== 'failed') continue;
    if (!(check.error instanceof EntraAuthError)) throw new Error(`diagnose(): rule ${check.rule} failed without an EntraAuthError`);
    assertPrintableError(`diagnose() rule ${check.rule}`, check.error);
    codes.push(check.error.code);
  }
  expect(diagnosis.accepted).toBe(codes.length === 0 && diagnosis.checks.every((c) => c.outcome === 'passed'));
  return codes;
}

describe.each(backends)('hostile tokens (%s)', (_name, backend) => {
  const create = verifierFactory(backend);
  const events: EntraVerifierEvent[] = [];
  const verifiers = () => ({
    // The default limit refuses big tokens before parsing; the large one lets them reach every rule.
    defaults: create({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, onEvent: (e) => events.push(e) }),
    large: create({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, maxTokenBytes: 1024 * 1024, onEvent: (e) => events.push(e) }),
  });

  it(`are refused with an EntraAuthError, diagnosed without a throw, and never echo a control character (${RUNS} cases)`, async () => {
    const { defaults, large } = verifiers();
    await defaults.warm();
    await large.warm();
    const codes = new Map<string, number>();
    const count = (code: string) => codes.set(code, (codes.get(code) ?? 0) + 1);
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(hostileTokenSpec, fc.boolean(), fc.constantFrom(...requirements), async (spec, useLarge, requirement) => {
        const token = await hostileToken(base, spec);
        const verifier = useLarge ? large : defaults;
        const outcome = await verifyOnce(verifier, events, token, spec, requirement);
        if (outcome.accepted) accepted++;
        else count(outcome.code!);
        for (const code of await diagnoseOnce(verifier, token, requirement)) count(`diagnose:${code}`);
      }),
      { numRuns: RUNS },
    );
    const summary = [...codes].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ${n}`).join(', ');
    console.log(`property: ${RUNS} hostile tokens through verify() and diagnose() (${backend.name}): ${accepted} accepted (validly signed, hostile value where no rule looks); ${summary}`);
    // Anything else thrown inside verification is caught as verification_failed: a bug to report.
    expect([...codes.keys()].filter((code) => code.endsWith('verification_failed'))).toEqual([]);
    defaults.close();
    large.close();
  });

  it.each(namedHostileSpecs())('refuses a token whose %s, explaining it in printable text', async (_label, spec) => {
    const { defaults } = verifiers();
    const token = await hostileToken(base, spec);
    expect(token.length).toBeLessThanOrEqual(32 * 1024);
    const outcome = await verifyOnce(defaults, events, token, spec, { scopes: ['Data.Read'] });
    expect(outcome.accepted).toBe(false);
    expect(outcome.code).not.toBe('verification_failed');
    const codes = await diagnoseOnce(defaults, token, { scopes: ['Data.Read'] });
    expect(codes.length).toBeGreaterThan(0);
    expect(codes).not.toContain('verification_failed');
    defaults.close();
  });
});
