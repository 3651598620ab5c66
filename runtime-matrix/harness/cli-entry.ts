// Entry for runtimes with a command line (Node, Bun, Deno): run, print one report line, exit.
import process from 'node:process';
import { files } from 'virtual:test-files';
import { REPORT_MARKER, runBundledTests } from './run-tests.js';

const runtime = process.argv[2] ?? 'unknown';
// vitest's workers stay alive on their RPC channel and the runner unrefs its timeout timers; here a
// test awaiting only an unref'd timer (AbortSignal.timeout) would otherwise end the process early.
const keepAlive = setInterval(() => {}, 60_000);
const report = await runBundledTests(runtime, files);
clearInterval(keepAlive);
console.log(`${REPORT_MARKER}${JSON.stringify(report)}`);
// Exit explicitly: a test that leaves a timer behind must not hold the matrix open.
process.exit(report.failures.length === 0 ? 0 : 1);
