// Issue #18, item 6: the commands work from a clone of the repository (the bins npm links are
// committed files that load dist/), and the doctor says where its keys came from: online (the key
// endpoint it fetched) or offline (--jwks), with an exact error when --jwks is not a key set.
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDoctorInProcess } from './run-cli.js';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
let entra: FakeEntra;
let dir: string;
beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read'] }] });
  dir = await mkdtemp(join(tmpdir(), 'doctor-keys-'));
});

const doctor = runDoctorInProcess;

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('the commands in a clone of the repository', () => {
  const bins = [
    { pkg: 'packages/cli', name: 'entra-verify', built: 'dist/bin.js', help: ['doctor', '--help'], expected: 'Usage: entra-verify doctor' },
    { pkg: 'packages/testkit', name: 'entra-verify-fake', built: 'dist/node/fake-cli.js', help: ['--help'], expected: 'entra-verify-fake serve' },
  ];

  it.each(bins)('$name is a committed file outside dist/, so npm links it at install, before any build', ({ pkg, name }) => {
    const manifest = JSON.parse(readFileSync(join(repo, pkg, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] };
    const target = manifest.bin[name]!;
    expect(target).not.toMatch(/^(\.\/)?dist\//);
    expect(manifest.files).toContain(target.replace(/^\.\//, '').split('/')[0]);
    const path = join(repo, pkg, target);
    expect(readFileSync(path, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    expect(statSync(path).mode & 0o111).not.toBe(0);
  });

  it.each(bins)('$name runs the built command through the committed bin', ({ pkg, name, help, expected }) => {
    const manifest = JSON.parse(readFileSync(join(repo, pkg, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const result = spawnSync(process.execPath, [join(repo, pkg, manifest.bin[name]!), ...help], { encoding: 'utf8' });
    expect(result.stdout).toContain(expected);
    expect(result.status).toBe(0);
  });

  it.each(bins)('$name says how to build when dist/ is missing, instead of a module-not-found trace', ({ pkg, name }) => {
    const manifest = JSON.parse(readFileSync(join(repo, pkg, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const copy = join(dir, `unbuilt-${name}`);
    mkdirSync(join(copy, 'bin'), { recursive: true });
    writeFileSync(join(copy, 'package.json'), '{"type":"module"}');
    const shim = join(copy, 'bin', 'shim.js');
    copyFileSync(join(repo, pkg, manifest.bin[name]!), shim);
    const result = spawnSync(process.execPath, [shim, '--help'], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('is not built');
    expect(result.stderr).toContain('npm run build');
    expect(result.stderr).not.toContain('ERR_MODULE_NOT_FOUND');
  });

  it('the root prepare script builds both commands at npm install', () => {
    const root = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(root.scripts.prepare).toMatch(/tsc -b/);
    // core's Node signature backend and the testkit's Node entry are projects of their own.
    for (const project of ['packages/core/tsconfig.node.json', 'packages/testkit/tsconfig.node.json', 'packages/cli']) expect(root.scripts.prepare).toContain(project);
    const lock = JSON.parse(readFileSync(resolve(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, { bin?: Record<string, string> }> };
    // npm links from the lockfile's record of the bin: it must name the committed file too.
    expect(lock.packages['packages/cli']?.bin).toEqual({ 'entra-verify': 'bin/entra-verify.js' });
    expect(lock.packages['packages/testkit']?.bin).toEqual({ 'entra-verify-fake': 'bin/entra-verify-fake.js' });
  });
});

describe('entra-verify doctor: where the keys come from', () => {
  it('says "online" and names the key set it fetched when there is no --jwks', async () => {
    const result = await doctor([await entra.mint(), '--tenant', entra.tenantId, '--client-id', entra.api.appId], entra.fetch);
    expect(result.stdout).toContain(`keys: online: fetched ${entra.jwksUri()}`);
    expect(result.stdout).toContain('Accepted');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('the token is never sent');
  });

  it('says "offline" and names the file with --jwks, and reports the mode in --json', async () => {
    const jwks = file('keys.json', await (await entra.fetch(entra.jwksUri())).text());
    const result = await doctor([await entra.mint(), '--tenant', entra.tenantId, '--client-id', entra.api.appId, '--jwks', jwks]);
    expect(result.stdout).toContain('Accepted');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`keys: offline: keys from --jwks ${jwks} (no network)`);
    const json = await doctor([await entra.mint(), '--tenant', entra.tenantId, '--client-id', entra.api.appId, '--jwks', jwks, '--json']);
    expect(JSON.parse(json.stdout).verification.keys).toEqual({ mode: 'offline', file: jwks, fetched: [] });
  });

  it('the usage text says that verifying without --jwks goes online', async () => {
    const result = await doctor(['--help']);
    expect(result.stdout).toMatch(/online, fetching only Entra's public key set/);
  });
});

describe('entra-verify doctor --jwks with a file that is not a key set', () => {
  it.each([
    ['not JSON', 'this is not json', /is not JSON \(.*\); it should hold a JSON Web Key Set/],
    ['an OpenID configuration', JSON.stringify({ issuer: 'https://login.microsoftonline.com/t/v2.0', jwks_uri: 'https://login.microsoftonline.com/t/discovery/v2.0/keys' }), /is an OpenID configuration document, not a key set: save the document at its jwks_uri \(https:\/\/login\.microsoftonline\.com\/t\/discovery\/v2\.0\/keys\)/],
    ['one bare JWK', JSON.stringify({ kty: 'RSA', kid: 'k', n: 'AQAB', e: 'AQAB' }), /holds one key \(a JWK\), not a key set: wrap it as \{"keys": \[ <the key> \]\}/],
    ['a JSON array', '[]', /holds a JSON array, not a key set/],
    ['no keys member', '{"value": 1}', /has no "keys" member/],
    ['keys that is not an array', '{"keys": {}}', /"keys" is not an array/],
    ['an empty key set', '{"keys": []}', /holds an empty key set/],
    ['an entry without kty', '{"keys": [{"kty": "RSA"}, {"kid": "x"}]}', /keys\[1\] is not a JSON Web Key/],
  ])('names the file and says what is wrong: %s', async (name, text, message) => {
    const path = file(`${name.replaceAll(' ', '-')}.json`, text);
    const result = await doctor([await entra.mint(), '--tenant', entra.tenantId, '--client-id', entra.api.appId, '--jwks', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--jwks ${path}`);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('a missing file is named too', async () => {
    const path = join(dir, 'no-such-file.json');
    const result = await doctor([await entra.mint(), '--tenant', entra.tenantId, '--client-id', entra.api.appId, '--jwks', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot read --jwks ${path}`);
  });
});
