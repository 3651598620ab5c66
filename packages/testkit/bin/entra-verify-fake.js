#!/usr/bin/env node
// The `entra-verify-fake` command. npm links a package's bins while it installs, which in a clone of
// the repository is before anything is built; so the bin is this committed file, and it loads the
// compiled command from dist/ only when it runs (the root `prepare` script builds it at install).
import { existsSync } from 'node:fs';

const built = new URL('../dist/node/fake-cli.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write('entra-verify-fake: this copy of @entra-verify/testkit is not built (dist/node/fake-cli.js is missing). In a clone of the repository, run: npm run build\n');
  process.exit(1);
}
await import(built.href);
