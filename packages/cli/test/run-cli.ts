// Run a built command as a child process, as a user would (the tests build first: `pretest`).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main, type CliIo } from '../src/index.js';

export const DOCTOR_BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
export const FAKE_BIN = fileURLToPath(new URL('../../testkit/dist/node/fake-cli.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(bin: string, args: string[], stdin?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, TZ: 'UTC', NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** Start `entra-verify-fake serve` on a free port and wait for its URL. */
export function startFakeServer(args: string[] = []): Promise<{ url: string; output: string; stop(): void }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FAKE_BIN, 'serve', '--port', '0', ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`entra-verify-fake serve did not start: ${output}`)), 15_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /Fake Entra ID on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (url && output.includes('Tokens:')) {
        clearTimeout(timer);
        resolve({ url, output, stop: () => child.kill('SIGTERM') });
      }
    });
    child.on('error', reject);
  });
}

/**
 * Run `entra-verify doctor` in-process. `fetch` stands in for the network (the doctor uses the
 * global one without --jwks) for this call only: the global is restored afterwards.
 */
export async function runDoctorInProcess(args: string[], fetch?: typeof globalThis.fetch): Promise<{ code: number; stdout: string; stderr: string }> {
  const realFetch = globalThis.fetch;
  if (fetch) globalThis.fetch = fetch;
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = { stdout: (text) => void stdout.push(text), stderr: (text) => void stderr.push(text), readStdin: async () => undefined, colour: false, now: Date.now };
  try {
    const code = await main(['doctor', ...args], io);
    return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
  } finally {
    globalThis.fetch = realFetch;
  }
}
