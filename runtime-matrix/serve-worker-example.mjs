#!/usr/bin/env node
// `npm run serve -w @entra-verify/example-worker-api`: the Worker on workerd against the fake Entra
// ID, with curl commands to try it. Ctrl-C stops both.
import { createFakeEntra } from '@entra-verify/testkit';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installRuntimes, runtimes } from './runtimes.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
installRuntimes(root);
// esbuild comes with the runtimes, so the bundling module loads after the install.
const { startWorkerApi } = await import('./worker-example.mjs');
const outDir = join(root, '.runtime-matrix');
mkdirSync(outDir, { recursive: true });
const entra = await createFakeEntra({ apis: [{ scopes: ['Reports.Read', 'Profile.Read'] }] });
const worker = await startWorkerApi({ root, runtime: runtimes(root).find((r) => r.name === 'workerd'), outDir, entra });
const reader = await entra.mint({ scopes: ['Reports.Read'] });
const profileOnly = await entra.mint({ scopes: ['Profile.Read'] });
console.log(`worker-api on workerd at ${worker.url} (tenant ${entra.tenantId}, fake Entra ID on loopback)

  curl -i ${worker.url}/api/me -H "Authorization: Bearer ${reader}"
  curl -i ${worker.url}/api/reports -H "Authorization: Bearer ${profileOnly}"   # 403: no Reports.Read
  curl -i ${worker.url}/api/me                                                    # 401

Tokens are valid for an hour. Ctrl-C to stop.`);
process.once('SIGINT', async () => {
  await worker.close();
  process.exit(0);
});
