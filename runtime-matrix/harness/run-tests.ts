// Runs bundled test files with vitest's runner and returns a plain report, on any runtime.
import { startTests, type File, type Task, type VitestRunner } from '@vitest/runner';

export interface TestFailure {
  test: string;
  error: string;
}

export interface FileReport {
  file: string;
  passed: number;
  failed: number;
  skipped: number;
}

export interface RunReport {
  runtime: string;
  files: FileReport[];
  failures: TestFailure[];
  durationMs: number;
  /** What the tests printed (fast-check case counts, for example): a Worker has no terminal. */
  output: string[];
}

/** Test files by path, each a thunk that evaluates the bundled module (registering its tests). */
export type BundledTestFiles = Record<string, () => Promise<unknown>>;

/** The line that carries the JSON report out of a runtime's stdout. */
export const REPORT_MARKER = '@@runtime-matrix-report@@';

export async function runBundledTests(runtime: string, files: BundledTestFiles): Promise<RunReport> {
  const runner: VitestRunner = {
    config: {
      root: '/',
      setupFiles: [],
      name: undefined,
      passWithNoTests: false,
      testNamePattern: undefined,
      allowOnly: false,
      sequence: { seed: 0, hooks: 'stack', setupFiles: 'list' },
      chaiConfig: undefined,
      maxConcurrency: 5,
      testTimeout: 20_000,
      hookTimeout: 20_000,
      retry: 0,
      includeTaskLocation: false,
      tags: [],
      tagsFilter: undefined,
      strictTags: false,
    },
    // Names each test on stderr as it starts: when a runtime dies or hangs, the launcher shows the
    // tail of stderr, and the last name is the culprit.
    onBeforeRunTask(test) {
      console.error(`▶ ${test.file.filepath} > ${test.fullTestName ?? test.name}`);
    },
    async importFile(path) {
      const load = files[path];
      if (!load) throw new Error(`no bundled test file ${path}`);
      await load();
    },
  };

  const output: string[] = [];
  const restoreConsole = captureConsole(output);
  const started = Date.now();
  let results: File[];
  try {
    results = await startTests(Object.keys(files), runner);
  } finally {
    restoreConsole();
  }

  const report: RunReport = { runtime, files: [], failures: [], durationMs: Date.now() - started, output };
  for (const file of results) {
    const counts: FileReport = { file: file.filepath, passed: 0, failed: 0, skipped: 0 };
    const visit = (task: Task, names: string[]) => {
      const path = [...names, task.name];
      if (task.type === 'suite') {
        // A file or suite that fails outside its tests (an import or a hook) is a failure too.
        if (task.result?.state === 'fail' && task.result.errors?.length) {
          counts.failed++;
          report.failures.push({ test: path.join(' > '), error: describeErrors(task.result.errors) });
        }
        for (const child of task.tasks) visit(child, task === file ? [file.filepath] : path);
        return;
      }
      const state = task.result?.state;
      if (state === 'pass') counts.passed++;
      else if (state === 'fail') {
        counts.failed++;
        report.failures.push({ test: path.join(' > '), error: describeErrors(task.result?.errors ?? []) });
      } else counts.skipped++;
    };
    visit(file, []);
    report.files.push(counts);
  }
  return report;
}

function describeErrors(errors: ReadonlyArray<{ message?: string; stack?: string }>): string {
  return errors.map((error) => error.stack ?? error.message ?? String(error)).join('\n');
}

/**
 * Collects console.log/info output while the tests run, so the report can carry it (a Worker has no
 * terminal), and passes it on to stderr, keeping stdout for the report line.
 */
function captureConsole(into: string[]): () => void {
  const original = { log: console.log, info: console.info };
  const capture = (...args: unknown[]) => {
    into.push(args.map(String).join(' '));
    console.error(...args);
  };
  console.log = capture;
  console.info = capture;
  return () => Object.assign(console, original);
}
