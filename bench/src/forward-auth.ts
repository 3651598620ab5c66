// `npm run bench:forward-auth -w @entra-verify/bench` (`-- --quick`, `-- --smoke`): what
// forward-auth costs behind a real nginx. nginx + backend against nginx + forward-auth + backend,
// with one repeated token and with distinct tokens, measured with autocannon (50 connections) in
// interleaved rounds (a slice of each setup per round, the order rotated; medians, and the median
// of per-round ratios). nginx (1 worker, examples/gateway's configuration), forward-auth (the real
// command) and autocannon (load-generator.ts) run as their own processes; the backend runs here.
// Writes its section of RESULTS.md.
import { createFakeEntra } from '@entra-verify/testkit';
import { freePort, proxyBinary, startProxy } from '@entra-verify/example-gateway';
import { spawn, spawnSync } from 'node:child_process';
import { KeyObject, sign } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLoadGenerator } from './load-generator.js';
import { inRounds } from './measure.js';

const mode = process.argv.includes('--smoke') ? 'smoke' : process.argv.includes('--quick') ? 'quick' : 'full';
const ROUNDS = { smoke: 1, quick: 3, full: 6 }[mode];
const SLICE_S = { smoke: 0.5, quick: 1.5, full: 3 }[mode];
const WARM_S = { smoke: 0.5, quick: 1, full: 1 }[mode];
const TOKENS = { smoke: 500, quick: 5000, full: 20_000 }[mode];
const CONNECTIONS = 50;
const RESULTS = fileURLToPath(new URL('../RESULTS.md', import.meta.url));
const START = '<!-- forward-auth:start -->';
const END = '<!-- forward-auth:end -->';

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The same site as examples/gateway's, without auth_request: the baseline. */
const BARE_SITE = `upstream backend {
    server backend:3000;
    keepalive 16;
}
server {
    listen 8000;
    location / {
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_pass http://backend;
    }
}
`;

async function main() {
  if (!proxyBinary('nginx')) {
    console.log('forward-auth benchmark skipped: nginx is not installed (apt-get install -y nginx)');
    return;
  }
  // A fake Entra serving its own authority host on loopback: the forward-auth command fetches keys with the global fetch.
  const port = await freePort();
  const authorityHost = `http://127.0.0.1:${port}`;
  const entra = await createFakeEntra({ authorityHost, apis: [{ scopes: ['Data.Read'] }] });
  const fake = await entra.listen({ port });
  const template = await entra.mint({ expiresIn: 6 * 3600 });
  const [headerSegment = '', payloadSegment = ''] = template.split('.');
  const header = JSON.parse(Buffer.from(headerSegment, 'base64url').toString()) as Record<string, unknown>;
  const claims = JSON.parse(Buffer.from(payloadSegment, 'base64url').toString()) as Record<string, unknown>;
  const key = KeyObject.from(entra.keys.current.privateKey);
  const tokens = Array.from({ length: TOKENS }, (_, i) => {
    const input = `${b64(header)}.${b64({ ...claims, uti: `fa${i}`.padEnd(22, 'x') })}`;
    return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
  });

  const backend = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('ok\n'));
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  const backendAddress = `127.0.0.1:${(backend.address() as { port: number }).port}`;

  const dir = mkdtempSync(join(tmpdir(), 'bench-forward-auth-'));
  const config = join(dir, 'forward-auth.yaml');
  writeFileSync(config, `verifier:\n  tenant: ${entra.tenantId}\n  clientId: ${entra.api.appId}\n  cloud: { authorityHost: "${authorityHost}" }\nlogLevel: warn\n`);
  const forwardAuthPort = await freePort();
  const bin = join(dirname(createRequire(import.meta.url).resolve('@entra-verify/forward-auth/package.json')), 'dist', 'bin.js');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run npm run build first`);
  const forwardAuth = spawn(process.execPath, [bin, '--config', config, '--host', '127.0.0.1', '--port', String(forwardAuthPort)], { stdio: ['ignore', 'ignore', 'inherit'] });
  const forwardAuthUrl = `http://127.0.0.1:${forwardAuthPort}`;
  for (let ready = false; !ready; ) {
    ready = await fetch(`${forwardAuthUrl}/readyz`).then((r) => r.ok, () => false);
    if (!ready) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const bare = await startProxy('nginx', { forwardAuth: `127.0.0.1:${forwardAuthPort}`, backend: backendAddress, site: BARE_SITE });
  const gated = await startProxy('nginx', { forwardAuth: `127.0.0.1:${forwardAuthPort}`, backend: backendAddress });

  const counters = async () => {
    const text = await (await fetch(`${forwardAuthUrl}/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^entra_forward_auth_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
    const fetches = [...text.matchAll(/^entra_forward_auth_key_set_fetches_total\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    return { hits: value('result_cache_hits_total'), lookups: value('result_cache_lookups_total'), fetches };
  };
  const load = startLoadGenerator();
  load.setTokens(tokens);
  const setups = [
    { name: 'nginx + backend (baseline)', url: bare.url, distinct: false },
    { name: 'nginx + forward-auth + backend: one repeated token (result cache hits)', url: gated.url, distinct: false },
    { name: `nginx + forward-auth + backend: distinct tokens (${fmt(TOKENS)}, cycled)`, url: gated.url, distinct: true },
  ];
  const byName = new Map(setups.map((setup) => [setup.name, setup]));
  const run = (name: string, seconds: number) => {
    const setup = byName.get(name)!;
    return load.run({ url: `${setup.url}/data`, connections: CONNECTIONS, seconds, headers: { authorization: `Bearer ${tokens[0]}` }, distinctTokens: setup.distinct });
  };
  const m = await inRounds(
    setups.map((setup) => setup.name),
    ROUNDS,
    async (name) => {
      const before = await counters();
      const cpu = processCpuMicros(forwardAuth.pid);
      const r = await run(name, SLICE_S);
      const used = processCpuMicros(forwardAuth.pid) - cpu;
      const after = await counters();
      return { rps: r.requestsPerSecond, p50: r.p50Ms, p99: r.p99Ms, failed: r.non2xx + r.errors, hits: after.hits - before.hits, lookups: after.lookups - before.lookups, cpuPerRequest: used / Math.max(1, r.completed) };
    },
    (name) => run(name, WARM_S), // warm-up: keys, connections, JIT
  );
  load.close();
  const baseline = setups[0]!.name;
  const fetches = (await counters()).fetches;
  const sum = (name: string, metric: 'failed' | 'hits' | 'lookups') => m.series(name, metric).reduce((a, b) => a + b, 0);

  const lines = [
    START,
    `## Forward auth behind nginx (autocannon in its own process, ${CONNECTIONS} connections; ${ROUNDS} interleaved rounds of ${SLICE_S} s slices; mode ${mode})`,
    '',
    `nginx ${spawnVersion()} with 1 worker and examples/gateway's configuration (\`auth_request\` to forward-auth over a keep-alive upstream); forward-auth is the \`entra-verify-forward-auth\` command in its own process; a Node backend answering "ok". Every setup gets one slice per round, the order rotated each round, after a ${WARM_S} s warm-up; req/s and latencies are medians over rounds, "vs" the median of per-round ratios; forward-auth CPU is its process's user + system time (from /proc) per request. Reproduce: \`npm run build && npm run bench:forward-auth -w @entra-verify/bench\` (run it after \`npm run bench\`, which rewrites this file).`,
    '',
    `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores; Node ${process.version}; ${new Date().toISOString().slice(0, 10)}; load average ${loadavg().map((l) => fmt(l, 1)).join(' / ')} when the run ended (numbers from a busy machine move more than ±15 %).`,
    '',
    '| setup | req/s | vs nginx + backend | forward-auth CPU µs/request | p50 ms | p99 ms | non-2xx + errors | result-cache hits |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...setups.map(({ name }) => {
      const lookups = sum(name, 'lookups');
      const cpu = m.median(name, 'cpuPerRequest');
      return `| ${name} | ${fmt(m.median(name, 'rps'))} | ${fmt(m.ratio(name, baseline, 'rps'), 2)}x | ${lookups && Number.isFinite(cpu) ? fmt(cpu, 1) : '—'} | ${fmt(m.median(name, 'p50'), 1)} | ${fmt(m.median(name, 'p99'), 1)} | ${fmt(sum(name, 'failed'))} | ${lookups ? `${fmt((sum(name, 'hits') / lookups) * 100)} %` : '—'} |`;
    }),
    '',
    `Key-set fetches by forward-auth over the whole run: ${fetches}.`,
    END,
  ];
  for (const line of lines) console.log(line);
  if (mode !== 'smoke') {
    const current = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '';
    const start = current.indexOf(START);
    const end = current.indexOf(END);
    const section = lines.join('\n');
    const updated = start !== -1 && end > start ? `${current.slice(0, start)}${section}${current.slice(end + END.length)}` : `${current.trimEnd()}\n\n${section}\n`;
    writeFileSync(RESULTS, updated);
  }
  await bare.close();
  await gated.close();
  forwardAuth.kill('SIGTERM');
  backend.closeAllConnections();
  backend.close();
  await fake.close();
}

/** A process's CPU time (user + system) in µs, from /proc (Linux); NaN elsewhere. */
function processCpuMicros(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime (fields 14 and 15 of stat; 12 and 13 after the command name), in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return Number.NaN;
  }
}

function spawnVersion(): string {
  const result = spawnSync(proxyBinary('nginx')!, ['-v'], { encoding: 'utf8' });
  return /nginx\/(\S+)/.exec(`${result.stdout}${result.stderr}`)?.[1] ?? '';
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
