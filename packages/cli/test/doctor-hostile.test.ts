// `entra-verify doctor` on hostile tokens: in-process through main() with an injected terminal
// (generated tokens) and through the real binary (the review's inputs). The doctor always answers
// with exit code 0 or 1, never an internal error, and no line it prints holds a control character
// the token wrote (colour is off, so the doctor's own ANSI codes are absent too).
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertPrintable, baseOf, hostileToken, hostileTokenSpec, namedHostileSpecs, recordUnhandledRejections, type HostileTokenBase } from '../../../test-support/hostile-token-property.js';
import { main, type CliIo } from '../src/index.js';
import { DOCTOR_BIN, runCli } from './run-cli.js';

/** Generated tokens through the in-process doctor (~10 ms each: a verifier per run). */
const RUNS = 150;
/** Named hostile tokens through the real binary (a Node process each, ~150 ms). */
const BINARY_CASES = 4;

let entra: FakeEntra;
let base: HostileTokenBase;
let verifyArgs: string[];
let unhandled: ReturnType<typeof recordUnhandledRejections>;
beforeAll(async () => {
  unhandled = recordUnhandledRejections();
  entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read'] }] });
  base = baseOf(await entra.mint({ expiresIn: 24 * 3600 }), entra.keys.current.privateKey);
  const jwksFile = join(await mkdtemp(join(tmpdir(), 'doctor-hostile-')), 'keys.json');
  writeFileSync(jwksFile, await (await entra.fetch(entra.jwksUri())).text());
  verifyArgs = ['--tenant', entra.tenantId, '--client-id', entra.api.appId, '--jwks', jwksFile];
});
afterAll(() => expect(unhandled.stop()).toEqual([]));

interface Run {
  code: number;
  stdout: string[];
  stderr: string[];
}

async function doctor(args: string[], stdin?: string): Promise<Run> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = { stdout: (text) => void stdout.push(text), stderr: (text) => void stderr.push(text), readStdin: async () => stdin, colour: false, now: () => entra.now() };
  const code = await main(['doctor', ...args], io);
  return { code, stdout, stderr };
}

/** Exit 0 or 1, no internal error, every printed line free of control characters, JSON that parses. */
function assertAnswered(run: { code: number | null; stdout: string[]; stderr: string[] }, json: boolean): void {
  if (run.code !== 0 && run.code !== 1) throw new Error(`exit code ${run.code}: ${run.stderr.join('\n').slice(0, 400)}`);
  for (const text of [...run.stdout, ...run.stderr]) assertPrintable('a line the doctor printed', ...text.split('\n'));
  expect(run.stderr.join('\n')).not.toContain('internal error');
  if (json) expect(() => JSON.parse(run.stdout.join('\n'))).not.toThrow();
}

describe('entra-verify doctor on hostile tokens', () => {
  it(`answers every generated token with exit code 0 or 1 and printable lines (${RUNS} cases)`, async () => {
    const codes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(hostileTokenSpec, fc.boolean(), fc.boolean(), fc.constantFrom('argument', 'stdin', 'pasted header'), async (spec, verify, json, input) => {
        const token = await hostileToken(base, spec);
        const args = [...(verify ? verifyArgs : []), ...(json ? ['--json'] : [])];
        const run = input === 'argument' ? await doctor([token, ...args]) : await doctor(args, input === 'stdin' ? token : `Authorization: Bearer ${token}\r\n`);
        assertAnswered(run, json);
        const key = `${verify ? 'verified' : 'decoded'}, exit ${run.code}`;
        codes.set(key, (codes.get(key) ?? 0) + 1);
      }),
      { numRuns: RUNS },
    );
    console.log(`property: ${RUNS} hostile tokens through entra-verify doctor (in-process): ${[...codes].sort().map(([key, n]) => `${key} × ${n}`).join(', ')}`);
  });

  it.each(namedHostileSpecs())('explains a token whose %s, in printable lines, text and JSON', async (_label, spec) => {
    const token = await hostileToken(base, spec);
    for (const json of [false, true]) {
      const run = await doctor([token, ...verifyArgs, ...(json ? ['--json'] : [])]);
      assertAnswered(run, json);
      expect(run.code).toBe(1);
    }
  });

  it.each(namedHostileSpecs().slice(0, BINARY_CASES))('the real binary explains a token whose %s, exit 1, printable lines', async (_label, spec) => {
    const token = await hostileToken(base, spec);
    const text = await runCli(DOCTOR_BIN, ['doctor', ...verifyArgs], token);
    assertAnswered({ code: text.code, stdout: [text.stdout], stderr: [text.stderr] }, false);
    expect(text.code).toBe(1);
    const json = await runCli(DOCTOR_BIN, ['doctor', ...verifyArgs, '--json'], `Bearer ${token}`);
    assertAnswered({ code: json.code, stdout: [json.stdout], stderr: [json.stderr] }, true);
  });

  it.each([
    ['exp', 1e20],
    ['nbf', 1e20],
    ['exp', -1e20],
    ['iat', 8.64e12 + 1],
  ])('describes %s = %d, outside any date, without throwing', async (claim, value) => {
    const token = await hostileToken(base, { placements: [{ where: 'claims', name: claim, value: { label: String(value), json: String(value) } }], signing: 'testkit' });
    for (const args of [[], verifyArgs]) {
      const run = await doctor([token, ...args]);
      assertAnswered(run, false);
      expect(run.stdout.join('\n')).toContain('outside any date');
    }
  });
});

describe('doctor --json keeps every claim as a claim', () => {
  it('shows a claim named "__proto__" instead of turning it into a prototype', async () => {
    const { boundedCopy } = await import('../src/bounded-json.js');
    const claims = JSON.parse('{"__proto__":{"isAdmin":true},"sub":"s"}') as Record<string, unknown>;
    const copy = boundedCopy(claims) as Record<string, unknown>;
    expect(Object.keys(copy)).toEqual(['__proto__', 'sub']);
    expect((copy as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    expect(JSON.parse(JSON.stringify(copy))).toEqual(claims);
  });
});
