// Checks that each runtime, resolving natively, takes the same branch of core's `#signature-backend`
// imports map as the bundle made for it: a copy of the map points at stubs that name their branch.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Core's `#signature-backend` branches in package.json order (condition → dist path), without `types`. */
export function signatureBackendBranches(root) {
  const { imports } = JSON.parse(readFileSync(join(root, 'packages/core/package.json'), 'utf8'));
  return Object.fromEntries(Object.entries(imports['#signature-backend']).filter(([condition]) => condition !== 'types'));
}

export function nativeBranch(root, runtime) {
  const dir = mkdtempSync(join(tmpdir(), 'entra-verify-probe-'));
  try {
    const branches = Object.fromEntries(Object.keys(signatureBackendBranches(root)).map((condition) => [condition, `./${condition}.js`]));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', imports: { '#probe': branches } }));
    for (const name of Object.keys(branches)) writeFileSync(join(dir, `${name}.js`), `export const branch = ${JSON.stringify(name)};\n`);
    writeFileSync(join(dir, 'main.mjs'), "const { branch } = await import('#probe');\nconsole.log(branch);\n");
    const result = spawnSync(runtime.binary, runtime.args(join(dir, 'main.mjs')), { cwd: dir, encoding: 'utf8' });
    return result.status === 0 ? result.stdout.trim() : `(probe failed: ${result.stderr.trim().split('\n')[0]})`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
