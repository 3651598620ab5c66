// Issue #18, item 4: core's published declarations compile for a Node project without the DOM
// lib (lib es2023, types node, skipLibCheck false): every type they name exists on every target,
// and the fetch option takes Node's fetch, a wrapper, and the testkit's. (The consumer matrix in
// CI runs the same check on the packed tarballs, on the minimum and the latest TypeScript.)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../..', import.meta.url));

describe('core declarations without the DOM lib', () => {
  it('type-check with lib es2023 and types node, skipLibCheck false', () => {
    const dir = mkdtempSync(join(tmpdir(), 'core-no-dom-'));
    writeFileSync(join(dir, 'consumer.ts'), `
import { createEntraVerifier, type EntraVerifierOptions, type DecryptionKey } from '${join(repo, 'packages/core/dist/index.js')}';
const wrapped = (input: string | URL | Request, init?: RequestInit): Promise<Response> => fetch(input, init);
const options: EntraVerifierOptions = { tenant: '72f988bf-86f1-41af-91ab-2d7cd011db47', clientId: '6e74172b-be56-4843-9ff4-e66a39bb12e3', fetch: wrapped };
createEntraVerifier({ ...options, fetch: globalThis.fetch }).close();
export const keys: DecryptionKey[] = [];
`);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2023'], types: ['node'], typeRoots: [join(repo, 'node_modules/@types')], strict: true, noEmit: true, skipLibCheck: false }, files: ['consumer.ts'] }));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    let output = '';
    try {
      execFileSync(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      output = `${(error as { stdout?: string }).stdout ?? ''}`;
    }
    expect(output.split('\n').filter((line) => line.includes('packages/core/dist') || line.startsWith('consumer.ts'))).toEqual([]);
  }, 60_000);
});
