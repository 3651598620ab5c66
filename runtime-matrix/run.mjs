#!/usr/bin/env node
// `npm run test:runtimes [-- --only=bun,workerd] [--jobs=N]`: the portable suites of core, the
// testkit (fetch mode) and the Hono adapter, bundled per runtime and run on Node 20/22/24, Bun, Deno
// and workerd. Runtimes run N at a time (default 2); no test asserts on timing.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, runNativeSmoke, runWorkerd } from './launch.mjs';
import { nativeBranch } from './probe-resolution.mjs';
import { installRuntimes, isInstalled, runtimes } from './runtimes.mjs';
import { packageOf, PORTABLE_PACKAGES, portableTestFiles } from './suites.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
installRuntimes(root);
// esbuild comes with the runtimes (runtime-matrix/node_modules), so these load after the install.
const { bundleSuites } = await import('./bundle.mjs');
const { runWorkerExample } = await import('./worker-example.mjs');
const option = (name) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const only = option('only')?.split(',');
const jobs = Math.max(1, Number(option('jobs') ?? 2));

const files = portableTestFiles(root);
const outDir = join(root, '.runtime-matrix');
mkdirSync(outDir, { recursive: true });

const wanted = (name) => !only || only.some((w) => w.replace(' ', '') === name.replace(' ', ''));
const selected = runtimes(root).filter((runtime) => wanted(runtime.name));
const workerExample = wanted('worker-example');
if (selected.length > 0) console.log(`runtime matrix: ${files.length} test files from ${PORTABLE_PACKAGES.join(', ')} on ${selected.map((r) => r.name).join(', ')}\n`);

const outcomes = await inPool(selected, jobs, runOne);
let failed = 0;
selected.forEach((runtime, i) => {
  const outcome = outcomes[i];
  if (outcome.error || outcome.report.failures.length > 0) failed++;
  printOutcome(runtime, outcome);
});
if (selected.length > 0) console.log(failed === 0 ? `\nall ${selected.length} runtimes passed` : `\n${failed} of ${selected.length} runtimes failed`);
if (workerExample && !(await exampleOnWorkerd())) failed++;
process.exitCode = failed === 0 ? 0 : 1;

/** examples/worker-api bundled like wrangler does and served by workerd, called with real tokens. */
async function exampleOnWorkerd() {
  const workerd = runtimes(root).find((runtime) => runtime.name === 'workerd');
  console.log('\nexamples/worker-api on workerd (no nodejs_compat):');
  if (!isInstalled(workerd)) {
    console.log(`  ✗ workerd is not installed at ${relative(root, workerd.binary)}`);
    return false;
  }
  const checks = await runWorkerExample(root, workerd, outDir);
  for (const { name, ok, detail } of checks) console.log(`  ${ok ? '✓' : '✗'} ${name}${ok ? '' : `\n    ${detail.replaceAll('\n', '\n    ')}`}`);
  return checks.length > 0 && checks.every((c) => c.ok);
}

async function runOne(runtime) {
  if (!isInstalled(runtime)) return { error: `not installed at ${relative(root, runtime.binary)} (the npm package has no build for ${process.platform}-${process.arch}?)` };
  const version = execFileSync(runtime.binary, ['--version'], { encoding: 'utf8' }).split('\n')[0].trim();
  const bundle = join(outDir, `${runtime.name.replace(' ', '')}.mjs`);
  const backend = await bundleSuites({ root, files, outfile: bundle, flavour: runtime.flavour, conditions: runtime.conditions });
  if (runtime.flavour === 'cli') {
    const native = nativeBranch(root, runtime);
    if (native !== backend.condition) return { version, backend, error: `bundled the "${backend.condition}" branch of #signature-backend, but ${runtime.name} itself resolves "${native}"` };
  }
  const started = Date.now();
  const outcome = runtime.flavour === 'worker' ? await runWorkerd(runtime, bundle) : await runCli(runtime, bundle);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (runtime.flavour !== 'cli' || outcome.error) return { ...outcome, version, backend, seconds };
  const native = await runNativeSmoke(runtime, join(root, 'runtime-matrix/native-smoke.mjs'));
  return { ...outcome, version, backend, seconds, native, error: native.ok ? undefined : `native smoke test failed: ${native.line}` };
}

function printOutcome(runtime, { error, report, version, backend, seconds, native }) {
  const where = version ? ` (${version}; #signature-backend → ${backend.condition}: ${relative(join(root, 'packages/core'), backend.source)})` : '';
  if (!report) {
    console.log(`✗ ${runtime.name}${where}\n  ${error.replaceAll('\n', '\n  ')}`);
    return;
  }
  const byPackage = PORTABLE_PACKAGES.map((name) => {
    const counts = report.files.filter((file) => packageOf(file.file) === name).reduce((sum, file) => ({ passed: sum.passed + file.passed, failed: sum.failed + file.failed, skipped: sum.skipped + file.skipped }), { passed: 0, failed: 0, skipped: 0 });
    return `${name} ${counts.passed}/${counts.passed + counts.failed}${counts.skipped ? ` (${counts.skipped} skipped)` : ''}`;
  });
  const ok = report.failures.length === 0 && !error;
  console.log(`${ok ? '✓' : '✗'} ${runtime.name}${where}\n  ${byPackage.join(' · ')} · ${report.files.length} files in ${seconds} s`);
  if (native?.ok) console.log(`  native: ${native.line}`);
  for (const line of report.output.filter((text) => text.startsWith('property:'))) console.log(`  ${line}`);
  for (const failure of report.failures) console.log(`  FAIL ${failure.test}\n    ${failure.error.split('\n').slice(0, 8).join('\n    ')}`);
  if (error) console.log(`  ${error.replaceAll('\n', '\n  ')}`);
}

/** Maps items through `work`, at most `size` at a time, keeping their order. */
async function inPool(items, size, work) {
  const results = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]).catch((error) => ({ error: String(error?.stack ?? error) }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, lane));
  return results;
}
