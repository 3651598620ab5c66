// What `import … from 'vitest'` resolves to inside a runtime-matrix bundle: vitest's own runner
// (@vitest/runner) and assertions (@vitest/expect), which need neither Node nor vitest's process
// pool, so the same test files run unchanged on Bun, Deno and workerd.
export { afterAll, afterEach, beforeAll, beforeEach, describe, it, onTestFailed, onTestFinished, suite, test } from '@vitest/runner';
// A no-op at run time; tsc checks these assertions when it type-checks the tests.
export { expectTypeOf } from 'expect-type';
export { expect } from './expect.js';
