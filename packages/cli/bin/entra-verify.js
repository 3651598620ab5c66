#!/usr/bin/env node
// The `entra-verify` command. npm links a package's bins while it installs, which in a clone of the
// repository is before anything is built; so the bin is this committed file, and it loads the
// compiled command from dist/ only when it runs (the root `prepare` script builds it at install).
import { existsSync } from 'node:fs';

const built = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write('entra-verify: this copy of @entra-verify/cli is not built (dist/bin.js is missing). In a clone of the repository, run: npm run build\n');
  process.exit(1);
}
await import(built.href);
