// `npm run bench` (add `-- --quick` for a ~20 s run, `-- --smoke` for CI's check that it runs).
// Everything is measured in this one process and one run, so the ratios hold on a noisy machine.
import { createEntraVerifier } from '@entra-verify/core';
import autocannon from 'autocannon';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createFixtures, type Fixtures } from './fixtures.js';
import { httpTargets, listen } from './http-servers.js';
import { heapUsedMiB, measure, type Measurement } from './measure.js';
import { httpsMetadataUrl } from './passport-peer.js';
import { ours, peers, rawVerify, type Peer } from './peers.js';
import { measureRefusedTokens, worstOf } from './worst-refused-token.js';

const mode = process.argv.includes('--smoke') ? 'smoke' : process.argv.includes('--quick') ? 'quick' : 'full';
const MICRO_MS = { smoke: 150, quick: 1200, full: 4000 }[mode];
const HTTP_S = { smoke: 1, quick: 2, full: 8 }[mode];
const TOKENS = { smoke: 300, quick: 3000, full: 10_000 }[mode];
const CACHE_ENTRIES = { smoke: 1000, quick: 10_000, full: 100_000 }[mode];
const TENANT_COUNTS = mode === 'smoke' ? [1, 100] : [1, 100, 10_000];
const REFUSED = { smoke: { rounds: 2, batchMs: 5, tokensPerCandidate: 20 }, quick: { rounds: 6, batchMs: 20, tokensPerCandidate: 100 }, full: { rounds: 15, batchMs: 40, tokensPerCandidate: 200 } }[mode];

const out: string[] = [];
const say = (line = '') => {
  console.log(line);
  out.push(line);
};
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratio = (a: number, b: number) => `${fmt(a / b, 2)}x`;

async function micro(fixtures: Fixtures, metadataUrl: string | undefined) {
  const raw = rawVerify(fixtures);
  const tokens = fixtures.tokens;
  const once = tokens.length - 1; // each distinct-token run uses every token at most once
  const distinct = (peer: Peer, concurrency = 1) => measure((i) => peer.verify(tokens[i + 1]!), MICRO_MS, concurrency, once);
  const rows: Array<[string, Measurement]> = [['node:crypto verify of the signature alone (the limit)', await measure((i) => raw.run(i), MICRO_MS)]];
  // A fresh verifier per row: the result cache must not carry tokens from one row to the next.
  const fresh = async (resultCache = true) => {
    const peer = ours(fixtures, resultCache);
    await peer.verify(tokens[0]!);
    return peer;
  };
  rows.push(['entra-verify: distinct tokens (defaults; the result cache cannot help)', await distinct(await fresh())]);
  rows.push(['entra-verify: distinct tokens, result cache off', await distinct(await fresh(false))]);
  rows.push(['entra-verify: distinct tokens, 100 concurrent', await distinct(await fresh(), 100)]);
  const repeated = await fresh();
  rows.push(['entra-verify: one repeated token (result cache hits)', await measure(() => repeated.verify(tokens[0]!), MICRO_MS)]);
  const peerRows: Array<[string, Measurement]> = [];
  for (const peer of peers(fixtures, metadataUrl)) {
    await peer.verify(tokens[0]!); // keys fetched; nothing else warm
    peerRows.push([`${peer.name}: distinct tokens`, await distinct(peer)]);
  }
  rows.push(...peerRows);
  const limit = rows[0]![1].opsPerSecond;
  const bestPeer = Math.max(...peerRows.map(([, m]) => m.opsPerSecond));
  say('## Verification, keys warm (RS256, RSA-2048, Entra-shaped v2 tokens)');
  say('');
  say('| what | ops/s | vs the limit | vs best peer | p50 µs | p99 µs |');
  say('|---|---:|---:|---:|---:|---:|');
  for (const [name, m] of rows) say(`| ${name} | ${fmt(m.opsPerSecond)} | ${ratio(m.opsPerSecond, limit)} | ${ratio(m.opsPerSecond, bestPeer)} | ${fmt(m.p50Micros, 1)} | ${fmt(m.p99Micros, 1)} |`);
  say('');
}

async function http(fixtures: Fixtures, metadataUrl: string | undefined) {
  const token = fixtures.tokens[0]!;
  const results = new Map<string, { rps: number; p99: number; non2xx: number }>();
  for (const target of httpTargets(fixtures, metadataUrl)) {
    const url = await listen(target.server);
    const headers = { authorization: `Bearer ${token}` };
    await autocannon({ url, connections: 50, duration: 0.5, headers }); // warm-up: keys, metadata, JIT
    const result = await autocannon({ url, connections: 50, duration: HTTP_S, headers });
    results.set(target.name, { rps: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx });
    baselines.set(target.name, target.baseline);
    target.server.closeAllConnections();
    await new Promise((resolve) => target.server.close(resolve));
  }
  say(`## HTTP: requests per second (autocannon, 50 connections, ${HTTP_S} s each, one repeated token)`);
  say('');
  say('| server | req/s | vs bare framework | p99 ms | non-2xx |');
  say('|---|---:|---:|---:|---:|');
  for (const [name, r] of results) say(`| ${name} | ${fmt(r.rps)} | ${ratio(r.rps, results.get(baselines.get(name)!)!.rps)} | ${fmt(r.p99, 1)} | ${r.non2xx} |`);
  say('');
}
const baselines = new Map<string, string>();

async function coldStart(fixtures: Fixtures) {
  const options = () => ({ tenant: fixtures.entra.tenantId, clientId: fixtures.audience, fetch: fixtures.server.fetch });
  fixtures.entra.requests.clear();
  const single = createEntraVerifier(options());
  let started = performance.now();
  await single.verify(fixtures.tokens[1]!);
  const firstMs = performance.now() - started;
  const singleFetches = fixtures.entra.requests.count('keys');
  fixtures.entra.requests.clear();
  const crowd = createEntraVerifier(options());
  started = performance.now();
  await Promise.all(Array.from({ length: 1000 }, (_, i) => crowd.verify(fixtures.tokens[i % fixtures.tokens.length]!)));
  const crowdMs = performance.now() - started;
  say('## Cold start (key set fetched over loopback HTTP)');
  say('');
  say('| what | time | key-set fetches |');
  say('|---|---:|---:|');
  say(`| first verification | ${fmt(firstMs, 1)} ms | ${singleFetches} |`);
  say(`| 1,000 concurrent verifications on a cold cache | ${fmt(crowdMs, 1)} ms | ${fixtures.entra.requests.count('keys')} |`);
  say('');
}

/** Heap growth (after a full GC) while what `build` makes is alive and in use. */
async function retainedMiB(build: () => Promise<unknown>): Promise<number> {
  const before = heapUsedMiB();
  const held = await build();
  const alive = heapUsedMiB();
  return held === undefined ? 0 : alive - before;
}

async function scale(fixtures: Fixtures) {
  say('## Scale');
  say('');
  say('| what | ops/s | heap held by the verifier |');
  say('|---|---:|---:|');
  for (const count of TENANT_COUNTS) {
    const tenants = Array.from({ length: count }, () => crypto.randomUUID());
    const tokens = fixtures.signLike(Math.min(TOKENS, 2000), (i) => {
      const tid = tenants[i % count]!;
      return { tid, iss: `https://login.microsoftonline.com/${tid}/v2.0` };
    });
    const create = () => createEntraVerifier({ tenant: 'organizations', allowedTenants: [...tenants], clientId: fixtures.audience, fetch: fixtures.server.fetch, resultCache: false });
    const verifier = create();
    await verifier.verify(tokens[0]!);
    const m = await measure((i) => verifier.verify(tokens[i % tokens.length]!), MICRO_MS);
    const held = await retainedMiB(async () => {
      const fresh = create();
      await fresh.verify(tokens[0]!);
      return fresh;
    });
    say(`| ${fmt(count)} allowed tenants, distinct tokens | ${fmt(m.opsPerSecond)} | ${fmt(held, 1)} MiB |`);
  }
  const tokens = fixtures.signLike(CACHE_ENTRIES, (i) => ({ oid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` }));
  let hits: Measurement | undefined;
  const held = await retainedMiB(async () => {
    const cached = createEntraVerifier({ tenant: fixtures.entra.tenantId, clientId: fixtures.audience, fetch: fixtures.server.fetch, resultCache: { maxEntries: CACHE_ENTRIES } });
    // Twice each: a token is admitted to the cache at its second verification.
    for (const token of tokens) await cached.verify(token);
    for (const token of tokens) await cached.verify(token);
    hits = await measure((i) => cached.verify(tokens[i % tokens.length]!), MICRO_MS);
    return cached;
  });
  say(`| result cache with ${fmt(CACHE_ENTRIES)} entries, hits | ${fmt(hits!.opsPerSecond)} | ${fmt(held, 1)} MiB (${fmt((held * 1024 * 1024) / CACHE_ENTRIES)} B per entry besides the token strings, which the benchmark holds anyway) |`);
  say('');
}

async function underAttack(fixtures: Fixtures) {
  const verifier = createEntraVerifier({ tenant: fixtures.entra.tenantId, clientId: fixtures.audience, fetch: fixtures.server.fetch, resultCache: false });
  const tokens = fixtures.tokens;
  await verifier.verify(tokens[0]!);
  const [header = '', payload = '', signature = ''] = tokens[0]!.split('.');
  // Made up front, so the flood's cost is the verifier's refusals, not the harness building tokens.
  const unknownKids = Array.from({ length: 10_000 }, () => `${Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid: crypto.randomUUID() })).toString('base64url')}.${payload}.${signature}`);
  let nextUnknown = 0;
  const unknownKid = () => unknownKids[nextUnknown++ % unknownKids.length]!;
  const forgedSignature = `${header}.${payload}.${Buffer.from(signature, 'base64url').reverse().toString('base64url')}`;
  const floods: Array<[string, () => string]> = [['none (quiet)', () => ''], ['10,000 random unknown kids, one per valid token', unknownKid], ['forged signatures under a published kid, one per valid token', () => forgedSignature]];
  say('## Under attack (valid tokens verified while forged ones arrive, interleaved 1:1)');
  say('');
  say('| flood | valid ops/s | vs quiet | forged refused | key-set fetches |');
  say('|---|---:|---:|---:|---:|');
  let quiet = 0;
  for (const [name, forge] of floods) {
    fixtures.entra.requests.clear();
    let refused = 0;
    const limit = name.startsWith('10,000') ? Math.min(10_000, tokens.length - 1) : tokens.length - 1;
    const m = await measure(async (i) => {
      if (name !== 'none (quiet)') await verifier.verify(forge()).catch(() => refused++);
      await verifier.verify(tokens[1 + (i % (tokens.length - 1))]!);
    }, MICRO_MS, 1, limit);
    if (!quiet) quiet = m.opsPerSecond;
    say(`| ${name} | ${fmt(m.opsPerSecond)} | ${ratio(m.opsPerSecond, quiet)} | ${fmt(refused)} | ${fixtures.entra.requests.count('keys')} |`);
  }
  say('');
}

async function worstRefusedToken(fixtures: Fixtures) {
  const costs = await measureRefusedTokens(fixtures, REFUSED);
  const worst = worstOf(costs, 'anyone');
  const worstSigned = worstOf(costs, 'the issuer');
  say(`## Worst refused token (per request vs one valid verification; default options, every token within the default maxTokenBytes of 32 KiB; ${REFUSED.rounds} interleaved rounds, median)`);
  say('');
  say('Claims are parsed only after the signature holds, so a forger\'s payload costs no more than decoding it. Tokens signed with the tenant\'s own key are listed for completeness: Entra signs only its own claim sets, so no attacker can make those shapes; they show what parsing a 32 KiB payload costs.');
  say('');
  say('| token | who can make it | refused as | µs per request | vs a valid verification |');
  say('|---|---|---|---:|---:|');
  for (const c of costs) say(`| ${c.name} | ${c.maker} | ${c.outcome} | ${fmt(c.microsPerRequest, 1)} | ${fmt(c.ratio, 2)}x |`);
  say('');
  say(`**worst refused token: ${fmt(worst.ratio, 1)} x a valid verification** (${worst.name}); signed by the issuer's own key: ${fmt(worstSigned.ratio, 1)}x (${worstSigned.name}).`);
  say('');
}

const RESULTS = fileURLToPath(new URL('../RESULTS.md', import.meta.url));

/** Sections other benchmark scripts write between `<!-- name:start -->` and `<!-- name:end -->` (forward-auth): kept, not overwritten. */
function keptSections(): string {
  const current = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '';
  const kept: string[] = [];
  let from = 0;
  for (;;) {
    const start = current.indexOf('<!-- ', from);
    if (start === -1) break;
    const nameEnd = current.indexOf(':start -->', start);
    if (nameEnd === -1) break;
    const name = current.slice(start + 5, nameEnd);
    const endMarker = `<!-- ${name}:end -->`;
    const end = current.indexOf(endMarker, nameEnd);
    if (end === -1) break;
    kept.push(current.slice(start, end + endMarker.length));
    from = end + endMarker.length;
  }
  return kept.length ? `\n${kept.join('\n\n')}\n` : '';
}

async function main() {
  const fixtures = await createFixtures(TOKENS);
  const metadataUrl = await httpsMetadataUrl(fixtures);
  const cpu = cpus();
  say('# entra-verify benchmarks');
  say('');
  say(`Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${fmt(totalmem() / 1024 ** 3, 0)} GiB; Node ${process.version}; ${new Date().toISOString().slice(0, 10)}; mode ${mode}.`);
  say('Reproduce: `npm run bench` (full), `npm run bench -- --quick` (about 20 s of measuring). What limits these numbers: [README.md](README.md#what-limits-the-numbers).');
  if (!metadataUrl) say('passport-azure-ad was skipped: it needs an https metadata URL and openssl to make a loopback certificate.');
  say('');
  await micro(fixtures, metadataUrl);
  await http(fixtures, metadataUrl);
  await coldStart(fixtures);
  await scale(fixtures);
  await underAttack(fixtures);
  await worstRefusedToken(fixtures);
  await fixtures.server.close();
  if (mode !== 'smoke') writeFileSync(RESULTS, `${out.join('\n')}\n${keptSections()}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
