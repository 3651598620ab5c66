// Lint every published package as npm would ship it: publint --strict on the packed files,
// arethetypeswrong for ESM consumers (node16 from ESM, bundlers), and `npm publish --dry-run`. The packages are ESM only, so
// CommonJS `require` and node10 resolution are out of scope here (see the esm-only profile).
// Then the metadata a registry page needs: license, repository (this repo, this folder), keywords,
// sideEffects, and a README, LICENSE and CHANGELOG in the tarball.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const bin = (name) => resolve('node_modules', '.bin', name);
const published = readdirSync('packages')
  .map((dir) => join('packages', dir))
  .filter((dir) => !JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private);

const rootRepository = JSON.parse(readFileSync('package.json', 'utf8')).repository?.url;

/** What is missing from a package's metadata or tarball, as readable problems. */
function metadataProblems(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const problems = [];
  if (manifest.license !== 'MIT') problems.push(`license is ${manifest.license}, expected MIT`);
  if (manifest.repository?.url !== rootRepository || manifest.repository?.directory !== dir) problems.push(`repository should be { url: ${rootRepository}, directory: ${dir} }`);
  if (!Array.isArray(manifest.keywords) || manifest.keywords.length === 0) problems.push('no keywords');
  if (manifest.sideEffects !== false) problems.push('sideEffects is not false');
  const [{ files }] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  for (const file of ['README.md', 'LICENSE', 'CHANGELOG.md']) if (!files.some((f) => f.path === file)) problems.push(`${file} is not in the tarball`);
  return problems;
}

let failed = 0;
for (const dir of published) {
  const problems = metadataProblems(dir);
  if (problems.length) {
    failed++;
    console.log(`FAIL  metadata ${dir}\n  ${problems.join('\n  ')}`);
  } else console.log(`ok    metadata ${dir}`);
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
console.log(failed ? `${failed} packaging check(s) failed` : `${published.length} packages pass the metadata check, publint --strict, arethetypeswrong (esm-only) and npm publish --dry-run`);
process.exitCode = failed ? 1 : 0;
