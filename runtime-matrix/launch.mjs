// Runs one bundle on one runtime and returns its report (or why there is none).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename, dirname, join } from 'node:path';

const REPORT_MARKER = '@@runtime-matrix-report@@';
const RUN_LIMIT_MS = 5 * 60_000;

/** Node, Bun, Deno: the bundle prints one marked JSON line and exits. */
export async function runCli(runtime, bundle) {
  const { code, stdout, stderr } = await run(runtime.binary, [...runtime.args(bundle), runtime.name]);
  const line = stdout.split('\n').find((l) => l.startsWith(REPORT_MARKER));
  if (!line) return { error: `exited with ${code} and no report\n${tail(stderr || stdout)}` };
  return { report: JSON.parse(line.slice(REPORT_MARKER.length)) };
}

/** Node, Bun, Deno: runtime-matrix/native-smoke.mjs, unbundled, against the built packages. */
export async function runNativeSmoke(runtime, script) {
  const { code, stdout, stderr } = await run(runtime.binary, runtime.nativeArgs(script));
  const line = stdout.split('\n').find((l) => l.startsWith('ok'));
  return code === 0 && line ? { ok: true, line } : { ok: false, line: `exited with ${code}\n${tail(stderr || stdout)}` };
}

/** workerd: serve the bundle as a Worker on a loopback port and ask it to run the suites. */
export async function runWorkerd(runtime, bundle) {
  const port = await freePort();
  const config = join(dirname(bundle), 'workerd.capnp');
  writeFileSync(config, workerdConfig(basename(bundle), port));
  let worker;
  try {
    worker = await startWorkerd(runtime.binary, config, port);
    const response = await fetch(`${worker.url}/run`, { signal: AbortSignal.timeout(RUN_LIMIT_MS) });
    if (!response.ok) return { error: `the test Worker answered HTTP ${response.status}\n${tail(worker.logs())}` };
    return { report: await response.json() };
  } catch (error) {
    return { error: `${error.message}${worker ? `\n${tail(worker.logs())}` : ''}` };
  } finally {
    worker?.stop();
  }
}

/**
 * `workerd serve config`, resolved once the Worker answers on `port` (any path must answer), with
 * its output kept for failure reports. Fails, with that output, if workerd exits or never answers.
 */
export async function startWorkerd(binary, config, port) {
  const child = spawn(binary, ['serve', config, '--verbose'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let logs = '';
  child.stdout.on('data', (chunk) => (logs += chunk));
  child.stderr.on('data', (chunk) => (logs += chunk));
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([
      answered(`${url}/`),
      exited.then((code) => {
        throw new Error(`workerd exited with ${code}`);
      }),
    ]);
  } catch (error) {
    child.kill();
    throw new Error(`${error.message}\n${tail(logs)}`);
  }
  return { url, logs: () => logs, stop: () => child.kill() };
}

function workerdConfig(module, port) {
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "tests", worker = .tests)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "tests")],
);
const tests :Workerd.Worker = (
  modules = [(name = "tests.mjs", esModule = embed "${module}")],
  compatibilityDate = "2026-11-01",
  compatibilityFlags = ["nodejs_compat"],
);
`;
}

/** Polls until `url` answers: refused until workerd has bound the socket. */
async function answered(url) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      return await fetch(url, { signal: AbortSignal.timeout(20_000) });
    } catch (error) {
      // Refused until workerd has bound the socket; anything else (or too long) is a real failure.
      if (error.cause?.code !== 'ECONNREFUSED' || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function run(binary, args) {
  return new Promise((resolve) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_LIMIT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: String(error) });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal, stdout, stderr });
    });
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export const tail = (text) => text.trim().split('\n').slice(-30).join('\n');
