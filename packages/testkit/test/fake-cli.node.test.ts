// entra-verify-fake as a user runs it: a child process (built by `pretest`), checked with jose.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/node/fake-cli.js', import.meta.url));

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let stop: () => void;
let output = '';
let url = '';
beforeAll(async () => {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--scopes', 'Data.Read', '--token-version', '1']);
  stop = () => child.kill('SIGTERM');
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(output)), 15_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      url = /Fake Entra ID on (\S+)/.exec(output)?.[1] ?? '';
      if (url && output.includes('Tokens:')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
});
afterAll(() => stop());

describe('entra-verify-fake', () => {
  it('serve issues tokens under its loopback URL; token prints one that jose verifies against the served keys', async () => {
    const tenant = /tenant (\S+)/.exec(output)![1]!;
    const { code, stdout, stderr } = await run(['token', '--server', url, '--scopes', 'Data.Read']);
    expect(code).toBe(0);
    expect(stderr).toContain(`cloud: { authorityHost: '${url}' }`);
    const jwks = createRemoteJWKSet(new URL(`${url}/${tenant}/discovery/v2.0/keys`));
    const { payload } = await jwtVerify(stdout.trim(), jwks, { issuer: `${url}/${tenant}/` });
    expect(payload).toMatchObject({ ver: '1.0', scp: 'Data.Read', tid: tenant });
  });

  it('token passes app-only, roles and expiry through', async () => {
    const { stdout } = await run(['token', '--server', url, '--app-only', '--roles', 'A,B', '--expires-in', '60']);
    const payload = JSON.parse(Buffer.from(stdout.trim().split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(payload).toMatchObject({ idtyp: 'app', roles: ['A', 'B'] });
    expect(Number(payload.exp) - Number(payload.iat)).toBe(60);
  });

  it('answers bad usage with exit code 2 and the usage text', async () => {
    for (const args of [[], ['serve', '--port', 'x'], ['token', '--version', '3'], ['token', '--nope']]) {
      const { code, stderr } = await run(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toContain('Usage:');
    }
  });
});
