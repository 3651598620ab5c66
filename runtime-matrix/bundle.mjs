// Bundles the portable test files with esbuild, once per runtime flavour, the way a user's own
// tooling would: `@entra-verify/*` from the sources (as vitest.config.ts aliases them), core's
// `#signature-backend` from the branch of its package.json `imports` map that the runtime picks,
// and `vitest` as vitest's own runner and expect (harness/vitest-shim.ts).
import { build } from 'esbuild';
import { join } from 'node:path';
import { signatureBackendBranches } from './probe-resolution.mjs';

const SOURCES = {
  '@entra-verify/core': 'packages/core/src/index.ts',
  '@entra-verify/testkit': 'packages/testkit/src/index.ts',
  '@entra-verify/hono': 'packages/adapter-hono/src/index.ts',
};

/** The dist path core's package.json maps `#signature-backend` to under these conditions. */
export function signatureBackendFor(root, conditions) {
  const branches = signatureBackendBranches(root);
  const key = Object.keys(branches).find((name) => name === 'default' || conditions.includes(name));
  return { condition: key, source: join(root, 'packages/core', branches[key].replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts')) };
}

/**
 * @param {{ root: string, files: string[], outfile: string, flavour: 'cli' | 'worker', conditions: string[] }} options
 */
export async function bundleSuites({ root, files, outfile, flavour, conditions }) {
  const backend = signatureBackendFor(root, conditions);
  const harness = join(root, 'runtime-matrix/harness');
  const resolveOurs = {
    name: 'entra-verify-matrix',
    setup(build) {
      build.onResolve({ filter: /^vitest$/ }, () => ({ path: join(harness, 'vitest-shim.ts') }));
      build.onResolve({ filter: /^#signature-backend$/ }, () => ({ path: backend.source }));
      build.onResolve({ filter: /^@entra-verify\// }, (args) => {
        const source = SOURCES[args.path];
        if (!source) return { errors: [{ text: `${args.path} is not part of the portable suites` }] };
        return { path: join(root, source) };
      });
      build.onResolve({ filter: /^virtual:test-files$/ }, () => ({ path: 'test-files', namespace: 'matrix' }));
      build.onLoad({ filter: /.*/, namespace: 'matrix' }, () => ({
        resolveDir: root,
        loader: 'js',
        contents: `export const files = {\n${files.map((file) => `  ${JSON.stringify(file)}: () => import(${JSON.stringify(`./${file}`)}),`).join('\n')}\n};\n`,
      }));
    },
  };
  await build({
    entryPoints: [join(harness, flavour === 'worker' ? 'worker-entry.ts' : 'cli-entry.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: flavour === 'worker' ? 'browser' : 'node',
    conditions,
    // Node built-ins stay imports: Node, Bun and Deno provide them, workerd through nodejs_compat.
    external: ['node:*'],
    plugins: [resolveOurs],
    logLevel: 'warning',
    sourcemap: 'inline',
  });
  return backend;
}
