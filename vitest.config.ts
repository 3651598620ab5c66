import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources, so `npm test` needs no build step first.
    alias: {
      '@entra-verify/testkit': source('./packages/testkit/src/index.ts'),
      '@entra-verify/core': source('./packages/core/src/index.ts'),
      '@entra-verify/express': source('./packages/adapter-express/src/index.ts'),
      '@entra-verify/koa': source('./packages/adapter-koa/src/index.ts'),
      '@entra-verify/hono': source('./packages/adapter-hono/src/index.ts'),
      '@entra-verify/fastify': source('./packages/adapter-fastify/src/index.ts'),
      '@entra-verify/cli': source('./packages/cli/src/index.ts'),
      '@entra-verify/forward-auth': source('./packages/forward-auth/src/index.ts'),
      '@entra-verify/example-support': source('./examples/support/src/index.ts'),
      // The "node" branch of core's #signature-backend import condition; tests that cover the
      // WebCrypto path inject that backend explicitly.
      '#signature-backend': source('./packages/core/src/keys/crypto/node-crypto.ts'),
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    testTimeout: 20_000,
    // The verifier's default console logger (NODE_ENV is "test", not "production") would print a
    // line for every refusal the suites provoke on purpose; tests that check it spy on console.
    onConsoleLog: (log) => (log.startsWith('entra-verify: ') ? false : undefined),
    hookTimeout: 20_000,
  },
});
