// Install the packed tarballs into a fresh project, as a user would, and use them from ESM,
// from CommonJS (require of ESM, Node >= 20.19) and from TypeScript (moduleResolution nodenext).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve('.');
const work = mkdtempSync(join(tmpdir(), 'entra-verify-pack-'));
const run = (command, args, cwd = work) => execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString();

const packages = readdirSync('packages')
  .map((dir) => join(root, 'packages', dir))
  .filter((dir) => !JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private);
const tarballs = packages.map((dir) => join(work, run('npm', ['pack', dir, '--pack-destination', work, '--silent']).trim().split('\n').pop()));

writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'pack-smoke', private: true, type: 'module' }));
run('npm', ['install', '--no-audit', '--no-fund', '--silent', ...tarballs, 'express@^5', 'hono@^4', 'koa@^3']);

writeFileSync(join(work, 'esm.mjs'), `
import { createEntraVerifier } from '@entra-verify/core';
import { createFakeEntra } from '@entra-verify/testkit';
import { entraAuth } from '@entra-verify/express';
import { entraAuth as honoAuth } from '@entra-verify/hono';
import { entraAuth as koaAuth } from '@entra-verify/koa';
import { main } from '@entra-verify/cli';
const entra = await createFakeEntra();
const verifier = createEntraVerifier({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch });
const auth = await verifier.verify(await entra.mint());
if (auth.tenantId !== entra.tenantId) throw new Error('verification failed');
for (const fn of [entraAuth, honoAuth, koaAuth, main]) if (typeof fn !== 'function') throw new Error('missing export');
console.log('esm ok: verified a token with the installed packages');
`);
writeFileSync(join(work, 'cjs.cjs'), `
const { createEntraVerifier, EntraAuthError } = require('@entra-verify/core');
const { createFakeEntra } = require('@entra-verify/testkit');
(async () => {
  const entra = await createFakeEntra();
  const verifier = createEntraVerifier({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch });
  await verifier.verify(await entra.mint());
  await verifier.verify('not-a-token').then(() => { throw new Error('accepted garbage'); }, (e) => { if (!(e instanceof EntraAuthError)) throw e; });
  console.log('cjs ok: require() of the ESM packages verified a token');
})().catch((e) => { console.error(e); process.exit(1); });
`);
writeFileSync(join(work, 'typed.ts'), `
import { createEntraVerifier, type VerifiedAccessToken, type EntraV1Claims, type EntraV2Claims } from '@entra-verify/core';
import { entraAuth, type EntraAuthVariables } from '@entra-verify/hono';
import '@entra-verify/express';
import type { Request } from 'express';
const verifier = createEntraVerifier({ tenant: '72f988bf-86f1-41af-91ab-2d7cd011db47', clientId: '6e74172b-be56-4843-9ff4-e66a39bb12e3' });
export async function check(token: string): Promise<string | undefined> {
  const auth: VerifiedAccessToken = await verifier.verify(token, { scopes: ['Data.Read'] });
  const claims = auth.claims;
  if (claims.ver === '1.0') { const v1: EntraV1Claims = claims; return v1.appid; }
  const v2: EntraV2Claims = claims; return v2.azp;
}
export const fromExpress = (req: Request): VerifiedAccessToken | undefined => req.auth;
export const middleware = entraAuth({ tenant: 'common', allowedTenants: ['*'], audience: 'api://x' });
export type Vars = EntraAuthVariables;
`);
writeFileSync(join(work, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] }, files: ['typed.ts'] }));
run('npm', ['install', '--no-audit', '--no-fund', '--silent', '@types/node@^20', '@types/express@^5']);

console.log(run('node', ['esm.mjs']).trim());
console.log(run('node', ['--no-warnings', 'cjs.cjs']).trim());
run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json']);
console.log('typescript ok: the installed packages type-check under moduleResolution nodenext');
