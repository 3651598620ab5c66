// "Worst refused token": what the most expensive token an attacker can send costs, per request,
// against one valid verification. Each candidate is built to the default maxTokenBytes (32 KiB)
// or below; all are measured in interleaved rounds in this one run (a batch of each per round, the
// median per-request time over rounds), so the ratios hold on a noisy machine.
import { createEntraVerifier, type EntraVerifier } from '@entra-verify/core';
import { generateKeyPairSync, KeyObject, randomBytes, randomUUID, sign } from 'node:crypto';
import type { Fixtures } from './fixtures.js';

/** The default maxTokenBytes: every candidate fits in it, so none is refused for its size alone. */
const MAX_TOKEN_BYTES = 32 * 1024;

export interface RefusedTokenCost {
  name: string;
  /** Who can make such a token. */
  maker: TokenMaker;
  /** The error code it was refused with (or "accepted" for the baseline). */
  outcome: string;
  microsPerRequest: number;
  ratio: number;
}

export interface WorstRefusedTokenOptions {
  rounds: number;
  /** Time spent on each candidate per round. */
  batchMs: number;
  /** Distinct tokens made per candidate (cycled through). */
  tokensPerCandidate: number;
}

/**
 * Who can make a token: `anyone` (no key: every byte before the signature is theirs), or only
 * `the issuer` (signed with the configured tenant's key: Entra signs its own claim sets, so these
 * shapes are outside the threat model and shown for completeness, as what a 32 KiB payload costs).
 */
export type TokenMaker = 'anyone' | 'the issuer';

interface Candidate {
  name: string;
  tokens: string[];
  maker: TokenMaker;
  verifier?: EntraVerifier;
}

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const RAW = Symbol('raw JSON');
/** JSON text (not a value) for nesting that JSON.stringify could not write. */
const raw = (json: string) => ({ [RAW]: json });

/** Objects as JSON text, where members made with raw() are spliced in as written. */
function jsonText(object: Record<string, unknown>): string {
  const members = Object.entries(object).map(([name, v]) => `${JSON.stringify(name)}:${typeof v === 'object' && v !== null && RAW in v ? (v as Record<symbol, string>)[RAW] : JSON.stringify(v)}`);
  return `{${members.join(',')}}`;
}

/** The largest n whose token, `length(n)` characters, fits the limit (`length` grows with n). */
function largest(length: (n: number) => number, limit = MAX_TOKEN_BYTES): number {
  let low = 1;
  let high = 2;
  while (length(high) <= limit) high *= 2;
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    if (length(mid) <= limit) low = mid;
    else high = mid;
  }
  return low;
}

/** "." and an RS256 signature (256 bytes, base64url). */
const SIGNATURE_CHARS = 1 + 342;
const fmt = (n: number) => n.toLocaleString('en-US');

/** Every candidate: tokens made without any key, and (marked "signed") tokens Entra could have signed for another API or tenant. */
function candidates(fixtures: Fixtures, count: number): Candidate[] {
  const [headerSegment = '', payloadSegment = ''] = fixtures.tokens[0]!.split('.');
  const header = JSON.parse(Buffer.from(headerSegment, 'base64url').toString()) as Record<string, unknown>;
  const claims = JSON.parse(Buffer.from(payloadSegment, 'base64url').toString()) as Record<string, unknown>;
  const key = KeyObject.from(fixtures.entra.keys.current.privateKey);
  // Forged tokens carry real signatures of other tokens: below the modulus, so refusing one costs
  // a full RSA verify (random bytes can exceed the modulus, which OpenSSL refuses before any work,
  // and would understate the worst case).
  const otherSignatures = fixtures.tokens.slice(2).map((token) => token.split('.')[2]!);
  let nextSignature = 0;
  const forged = (h: string, p: string) => `${h}.${p}.${otherSignatures[nextSignature++ % otherSignatures.length]}`;
  const signed = (h: string, p: string) => `${h}.${p}.${sign('sha256', Buffer.from(`${h}.${p}`), key).toString('base64url')}`;
  const uti = (i: number) => `worst${i}`.padEnd(22, 'x');
  const withHeader = (extra: Record<string, unknown>) => b64(jsonText({ ...header, ...extra }));
  const withClaims = (i: number, extra: Record<string, unknown> = {}) => b64(jsonText({ ...claims, uti: uti(i), ...extra }));
  const past = Math.floor(Date.now() / 1000) - 7200;
  const controls = '\r\n\u001b[2J\u0000\u0085\u2028\u202e';
  const nested = (n: number) => raw(`${'['.repeat(n)}${']'.repeat(n)}`);
  const slashes = (n: number) => `${'/'.repeat(n)}x`;
  const entries = (n: number, prefix: string) => Array.from({ length: n }, (_, k) => `${prefix}${k}`);
  const members = (n: number, prefix: string) => Object.fromEntries(Array.from({ length: n }, (_, k) => [`${prefix}${k}`, `v${k}`]));

  /** `count` tokens of one shape; with `sized`, n is the largest that fits 32 KiB. */
  const family = (name: string | ((n: number) => string), parts: (i: number, n: number) => [string, string], finish: (h: string, p: string) => string, sized = true): Candidate => {
    const n = sized ? largest((m) => parts(count, m).join('.').length + SIGNATURE_CHARS) : 0;
    return { name: typeof name === 'string' ? name : name(n), tokens: Array.from({ length: count }, (_, i) => finish(...parts(i, n))), maker: finish === signed ? 'the issuer' : 'anyone' };
  };
  // A real signature of another token: below the modulus, so refusing it costs a full RSA verify
  // (reversed or random bytes can exceed the modulus, which OpenSSL refuses before any work).
  const otherSignature = fixtures.tokens[1]!.split('.')[2]!;
  return [
    { name: 'valid token (the baseline)', tokens: fixtures.tokens.slice(1, count + 1), maker: 'the issuer' },
    family((n) => `crit nested ${fmt(n)} arrays deep (32 KiB), forged`, (i, n) => [withHeader({ crit: nested(n) }), withClaims(i)], forged),
    family((n) => `kid nested ${fmt(n)} arrays deep (32 KiB), forged`, (i, n) => [withHeader({ kid: nested(n) }), withClaims(i)], forged),
    family((n) => `header of ${fmt(n)} unknown members (32 KiB), forged`, (i, n) => [withHeader(members(n, 'h')), withClaims(i)], forged),
    family((n) => `unknown kid of ${fmt(n)} characters (32 KiB), forged`, (i, n) => [withHeader({ kid: `${i}:${'k'.repeat(n)}` }), withClaims(i)], forged),
    family((n) => `unknown kid of ${fmt(n * controls.length)} control characters (32 KiB), forged`, (i, n) => [withHeader({ kid: `${i}${controls.repeat(n)}` }), withClaims(i)], forged),
    family('alg, kid and iss of control characters, forged', (i) => [withHeader({ alg: `RS256${controls}`, kid: `${controls}${i}` }), withClaims(i, { iss: controls.repeat(200) })], forged, false),
    family('unknown kid flood (a new random kid each), forged', (i) => [withHeader({ kid: randomUUID() }), withClaims(i)], forged, false),
    family('forged signature under the published kid', (i) => [withHeader({}), withClaims(i)], (h, p) => `${h}.${p}.${otherSignature}`, false),
    family((n) => `aud of "/" × ${fmt(n)} then "x" (32 KiB), forged`, (i, n) => [withHeader({}), withClaims(i, { aud: slashes(n) })], forged),
    family((n) => `aud of "/" × ${fmt(n)} then "x" (32 KiB), signed`, (i, n) => [withHeader({}), withClaims(i, { aud: slashes(n) })], signed),
    family((n) => `iss of "https://" + "/" × ${fmt(n)} then "x" (32 KiB), signed`, (i, n) => [withHeader({}), withClaims(i, { iss: `https://${slashes(n)}` })], signed),
    family((n) => `aud array of ${fmt(n)} entries (32 KiB), signed`, (i, n) => [withHeader({}), withClaims(i, { aud: entries(n, 'a') })], signed),
    family((n) => `roles array of ${fmt(n)} entries (32 KiB), signed, expired`, (i, n) => [withHeader({}), withClaims(i, { exp: past, roles: entries(n, 'r') })], signed),
    family((n) => `a claim nested ${fmt(n)} arrays deep (32 KiB), signed, expired`, (i, n) => [withHeader({}), withClaims(i, { exp: past, x: nested(n) })], signed),
    family((n) => `a claim nested ${fmt(n)} arrays deep (32 KiB), forged`, (i, n) => [withHeader({}), withClaims(i, { x: nested(n) })], forged),
    family((n) => `${fmt(n)} claims with distinct names (32 KiB), forged`, (i, n) => [withHeader({}), withClaims(i, Object.fromEntries(Array.from({ length: n }, (_, k) => [`a${k}`, 0])))], forged),
    family((n) => `a claim of ${fmt(n)} one-member objects, each key distinct (32 KiB), forged`, (i, n) => [withHeader({}), withClaims(i, { x: Array.from({ length: n }, (_, k) => ({ [`k${k}`]: 0 })) })], forged),
    family((n) => `max-size token: ${fmt(n)} extra claims (32 KiB), forged`, (i, n) => [withHeader({}), withClaims(i, members(n, 'c'))], forged),
    family((n) => `max-size token: ${fmt(n)} extra claims (32 KiB), signed, expired`, (i, n) => [withHeader({}), withClaims(i, { ...members(n, 'c'), exp: past })], signed),
    family((n) => `max-size token: ${fmt(n)} extra claims (32 KiB), signed, another audience`, (i, n) => [withHeader({}), withClaims(i, { ...members(n, 'c'), aud: 'api://someone-else' })], signed),
    family('Graph token (nonce header, Graph aud), forged', (i) => [withHeader({ nonce: `n${i}` }), withClaims(i, { aud: 'https://graph.microsoft.com/' })], forged, false),
    family('32 KiB of base64url that is not JSON', (i) => [`${i}${'A'.repeat(16_000)}`, 'B'.repeat(16_000)], forged, false),
  ];
}

/**
 * Not the default: with decryptionKeys configured, a 5-part token costs an RSA-OAEP private-key
 * operation before anything can tell it was forged (inherent to JWE; per configured key tried).
 */
function decryptionCandidate(fixtures: Fixtures, count: number): Candidate {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const verifier = createEntraVerifier({ tenant: fixtures.entra.tenantId, clientId: fixtures.audience, fetch: fixtures.server.fetch, resultCache: false, decryptionKeys: [privateKey] });
  const tokens = Array.from({ length: count }, () => [b64({ alg: 'RSA-OAEP-256', enc: 'A256GCM' }), randomBytes(256).toString('base64url'), randomBytes(12).toString('base64url'), randomBytes(64).toString('base64url'), randomBytes(16).toString('base64url')].join('.'));
  return { name: 'with decryptionKeys (not the default): a forged encrypted token', tokens, verifier, maker: 'anyone' };
}

/** Per-request cost of each candidate vs a valid verification, measured in interleaved rounds. */
export async function measureRefusedTokens(fixtures: Fixtures, options: WorstRefusedTokenOptions): Promise<RefusedTokenCost[]> {
  const verifier = createEntraVerifier({ tenant: fixtures.entra.tenantId, clientId: fixtures.audience, fetch: fixtures.server.fetch, resultCache: false });
  const count = Math.min(options.tokensPerCandidate, fixtures.tokens.length - 1);
  const all = [...candidates(fixtures, count), decryptionCandidate(fixtures, Math.min(count, 50))];
  const outcomes = new Map<string, string>();
  // Warm-up: keys loaded, the unknown-kid refetch spent, every path compiled; outcomes recorded.
  for (const candidate of all) {
    const used = candidate.verifier ?? verifier;
    for (const token of candidate.tokens.slice(0, 20)) {
      const outcome = await used.verify(token).then(
        () => 'accepted',
        (error: { code?: string }) => error.code ?? 'thrown',
      );
      outcomes.set(candidate.name, outcome);
    }
  }
  const samples = new Map<string, number[]>(all.map((c) => [c.name, []]));
  const next = new Map<string, number>(all.map((c) => [c.name, 0]));
  for (let round = 0; round < options.rounds; round++) {
    for (const candidate of all) {
      const used = candidate.verifier ?? verifier;
      let done = 0;
      const started = performance.now();
      const deadline = started + options.batchMs;
      while (done < 3 || performance.now() < deadline) {
        const at = next.get(candidate.name)!;
        next.set(candidate.name, at + 1);
        await used.verify(candidate.tokens[at % candidate.tokens.length]!).catch(() => undefined);
        done++;
      }
      samples.get(candidate.name)!.push(((performance.now() - started) / done) * 1000);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const baseline = median(samples.get(all[0]!.name)!);
  return all.map((candidate) => {
    const micros = median(samples.get(candidate.name)!);
    return { name: candidate.name, maker: candidate.maker, outcome: outcomes.get(candidate.name)!, microsPerRequest: micros, ratio: micros / baseline };
  });
}

/** The most expensive refused token that `maker` can make, at the default options (decryptionKeys off). */
export function worstOf(costs: RefusedTokenCost[], maker: TokenMaker = 'anyone'): RefusedTokenCost {
  return costs.filter((c) => c.maker === maker && c.outcome !== 'accepted' && !c.name.startsWith('with decryptionKeys')).reduce((worst, c) => (c.ratio > worst.ratio ? c : worst));
}
