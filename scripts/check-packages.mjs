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

/** What is missing from a package's metadata or tarball (`files`, as npm would publish it). */
function metadataProblems(dir, files) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const problems = [];
  if (manifest.license !== 'MIT') problems.push(`license is ${manifest.license}, expected MIT`);
  if (manifest.repository?.url !== rootRepository || manifest.repository?.directory !== dir) problems.push(`repository should be { url: ${rootRepository}, directory: ${dir} }`);
  if (!Array.isArray(manifest.keywords) || manifest.keywords.length === 0) problems.push('no keywords');
  if (manifest.sideEffects !== false) problems.push('sideEffects is not false');
  for (const file of ['README.md', 'LICENSE', 'CHANGELOG.md']) if (!files.some((f) => f.path === file)) problems.push(`${file} is not in the tarball`);
  return problems;
}

let failed = 0;
const report = (ok, check, dir, detail = '') => {
  if (!ok) failed++;
  console.log(ok ? `ok    ${check} ${dir}` : `FAIL  ${check} ${dir}\n${detail}`);
};
const output = (error) => `${error.stdout?.toString() ?? ''}${error.stderr?.toString() ?? ''}`;

for (const dir of published) {
  // One dry-run publish per package: it checks that npm would publish it, and lists the tarball.
  // npm reads "packages/x" as a GitHub shorthand, so it publishes from inside the package.
  let files;
  try {
    const dryRun = JSON.parse(execFileSync('npm', ['publish', '--dry-run', '--json'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    files = Object.values(dryRun)[0].files;
    report(true, 'npm publish --dry-run', dir);
  } catch (error) {
    report(false, 'npm publish --dry-run', dir, output(error));
  }
  if (files) {
    const problems = metadataProblems(dir, files);
    report(problems.length === 0, 'metadata', dir, `  ${problems.join('\n  ')}`);
  }
  for (const [tool, args] of [
    ['publint', ['--strict', dir]],
    ['attw', ['--pack', dir, '--profile', 'esm-only', '--format', 'table-flipped']],
  ]) {
    try {
      execFileSync(bin(tool), args, { stdio: ['ignore', 'pipe', 'pipe'] });
      report(true, tool, dir);
    } catch (error) {
      report(false, tool, dir, output(error));
    }
  }
}
console.log(failed ? `${failed} packaging check(s) failed` : `${published.length} packages pass the metadata check, publint --strict, arethetypeswrong (esm-only) and npm publish --dry-run`);
process.exitCode = failed ? 1 : 0;
