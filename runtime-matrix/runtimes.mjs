// The runtimes of the matrix: where each binary is (all installed from the npm registry into
// runtime-matrix/node_modules), how it runs a bundle, and the conditions its resolver uses.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const installed = (root, path) => join(root, 'runtime-matrix/node_modules', path);

/**
 * conditions: what the runtime itself matches in package.json `exports`/`imports` (checked against
 * the runtime by probe-resolution.mjs), so the bundle takes the branch a user's install would.
 */
export function runtimes(root) {
  const node = (major, version) => ({
    name: `node ${major}`,
    flavour: 'cli',
    conditions: ['node', 'import'],
    binary: installed(root, `node-${major}/bin/node`),
    args: (bundle) => ['--enable-source-maps', bundle],
    nativeArgs: (script) => [script],
    version,
  });
  return [
    // 20.19.0 is the engines floor of every package, so the oldest supported Node is what runs.
    node(20, '20.19.0'),
    node(22, '22.23.3'),
    node(24, '24.21.0'),
    { name: 'bun', flavour: 'cli', conditions: ['bun', 'node', 'import'], binary: installed(root, 'bun/bin/bun.exe'), args: (bundle) => ['run', bundle], nativeArgs: (script) => ['run', script] },
    // Deno asks for permissions: the bundled suites only read the environment; the native smoke test
    // also reads node_modules and serves the fake on loopback.
    {
      name: 'deno',
      flavour: 'cli',
      conditions: ['deno', 'node', 'import'],
      binary: installed(root, '@deno/linux-x64-glibc/deno'),
      args: (bundle) => ['run', '--no-prompt', '--allow-env', bundle],
      nativeArgs: (script) => ['run', '--no-prompt', '--allow-env', '--allow-read', '--allow-net=127.0.0.1', script],
    },
    // Bundled the way wrangler bundles a Worker; nodejs_compat because the suites also test core's
    // node:crypto backend and use Buffer (the Worker example itself runs without it).
    { name: 'workerd', flavour: 'worker', conditions: ['workerd', 'worker', 'browser', 'import'], binary: installed(root, '@cloudflare/workerd-linux-64/bin/workerd') },
  ];
}

export const isInstalled = (runtime) => existsSync(runtime.binary);

/** Installs the runtimes from runtime-matrix/package-lock.json when missing or out of date. */
export function installRuntimes(root) {
  const lock = join(root, 'runtime-matrix/package-lock.json');
  const installedLock = join(root, 'runtime-matrix/node_modules/.package-lock.json');
  if (existsSync(installedLock) && statSync(installedLock).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('installing the runtimes (npm ci in runtime-matrix/, about 900 MB, once)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--prefix', join(root, 'runtime-matrix')], { stdio: 'inherit' });
}
