// Lint every published package as npm would ship it: publint --strict on the packed files,
// arethetypeswrong for ESM consumers (node16 from ESM, bundlers), and `npm publish --dry-run`. The packages are ESM only, so
// CommonJS `require` and node10 resolution are out of scope here (see the esm-only profile).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const bin = (name) => resolve('node_modules', '.bin', name);
const published = readdirSync('packages')
  .map((dir) => join('packages', dir))
  .filter((dir) => !JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private);

let failed = 0;
for (const dir of published) {
  for (const [tool, args] of [
    ['publint', ['--strict', dir]],
    ['attw', ['--pack', dir, '--profile', 'esm-only', '--format', 'table-flipped']],
    ['npm', ['publish', '--dry-run']],
  ]) {
    try {
      // npm reads "packages/x" as a GitHub shorthand, so it publishes from inside the package.
      if (tool === 'npm') execFileSync('npm', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      else execFileSync(bin(tool), args, { stdio: ['ignore', 'pipe', 'pipe'] });
      console.log(`ok    ${tool} ${dir}`);
    } catch (error) {
      failed++;
      console.log(`FAIL  ${tool} ${dir}\n${error.stdout?.toString() ?? ''}${error.stderr?.toString() ?? ''}`);
    }
  }
}
console.log(failed ? `${failed} packaging check(s) failed` : `${published.length} packages pass publint --strict, arethetypeswrong (esm-only) and npm publish --dry-run`);
process.exitCode = failed ? 1 : 0;
