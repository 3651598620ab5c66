// The portable suites: every test file of these packages except `*.node.test.ts`, whose name says it
// needs Node itself (a socket server, a child process, a Node-only client library).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const PORTABLE_PACKAGES = ['core', 'testkit', 'adapter-hono'];

export function portableTestFiles(root) {
  return PORTABLE_PACKAGES.flatMap((name) => {
    const dir = join('packages', name, 'test');
    return readdirSync(join(root, dir))
      .filter((file) => file.endsWith('.test.ts') && !file.endsWith('.node.test.ts'))
      .sort()
      .map((file) => `${dir}/${file}`);
  });
}

/** The package a report line belongs to, for the summary table. */
export function packageOf(testFile) {
  return testFile.split('/')[1];
}
