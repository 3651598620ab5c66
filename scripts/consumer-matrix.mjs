// The consumer matrix: do our published types compile for the projects users really have?
// Packs every published package, installs the tarballs into one fresh project with the minimum
// TypeScript we support and the latest one from the npm registry (side by side, as npm aliases),
// and type-checks three small consumers with each:
//   nodenext  an ESM project ("type": "module", module/moduleResolution nodenext)
//   bundler   a Vite/esbuild-style project (module esnext, moduleResolution bundler)
//   commonjs  a CommonJS project (no "type": "module", module nodenext): type-only imports (with
//             resolution-mode "import", which TypeScript < 5.8 requires) and `await import()` on every version; a plain `import` (compiled to require() of ESM)
//             from TypeScript 5.8 on, the first version that allows it.
// Every consumer has lib ["es2023"], types ["node"] and skipLibCheck false: a type from the DOM
// lib in our declarations (RequestInfo, say) fails here, as it would for such a user. Errors in
// other packages' declarations (a framework's @types on a new TypeScript) are shown, not counted:
// the matrix judges our declarations and the consumers' code.
// Usage: node scripts/consumer-matrix.mjs [--keep]   (after npm run build; network: npm registry)
import { execFile as execFileCallback, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const execFile = promisify(execFileCallback);

/** The oldest TypeScript the published declarations support; README.md states the same. */
export const MINIMUM_TYPESCRIPT = '5.7';
/** CommonJS files may `import` (require) an ES module from this version on (--module nodenext). */
const REQUIRE_ESM_TYPESCRIPT = [5, 8];

const root = resolve('.');
const keep = process.argv.includes('--keep');
const work = mkdtempSync(join(tmpdir(), 'entra-verify-consumers-'));
const run = (command, args, cwd = work) => execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
const started = Date.now();

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => join(root, 'packages', dir))
  .filter((dir) => !JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private);
const tarballs = packages.map((dir) => join(work, run('npm', ['pack', dir, '--pack-destination', work, '--silent']).trim().split('\n').pop()));

writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'consumer-matrix', private: true }));
run('npm', [
  'install', '--no-audit', '--no-fund', '--silent', '--ignore-scripts',
  ...tarballs,
  `typescript-minimum@npm:typescript@~${MINIMUM_TYPESCRIPT}.0`,
  'typescript-latest@npm:typescript@latest',
  '@types/node@^20', 'express@^5', '@types/express@^5', 'koa@^3', '@types/koa@^3', 'hono@^4', 'fastify@^5',
]);
const versionOf = (alias) => JSON.parse(readFileSync(join(work, 'node_modules', alias, 'package.json'), 'utf8')).version;

const base = { target: 'es2022', lib: ['es2023'], types: ['node'], strict: true, noEmit: true, skipLibCheck: false, forceConsistentCasingInFileNames: true };

// What an ESM or bundled app writes: every package, with the types users name in their code.
const esmConsumer = `
import { createEntraVerifier, verifyAccessToken, authorize, EntraAuthError, toHttpError, type AuthRequirement, type EntraVerifierEvent, type EntraVerifierOptions, type VerifiedAccessToken } from '@entra-verify/core';
import express from 'express';
import { entraAuth as expressAuth, requireScopes } from '@entra-verify/express';
import Koa from 'koa';
import { entraAuth as koaAuth } from '@entra-verify/koa';
import { Hono } from 'hono';
import { entraAuth as honoAuth, requireRoles, type EntraAuthVariables, type OptionalEntraAuthVariables } from '@entra-verify/hono';
import Fastify from 'fastify';
import { entraAuth as fastifyAuth, requireScopes as fastifyScopes } from '@entra-verify/fastify';
import { main } from '@entra-verify/cli';

const entra = { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', api: { appId: '6e74172b-be56-4843-9ff4-e66a39bb12e3' } };
declare const token: string;
// Any fetch a Node project has: the global one, and a wrapper typed with what every target has.
const wrapped = (input: string | URL | Request, init?: RequestInit): Promise<Response> => fetch(input, init);
const onEvent = (event: EntraVerifierEvent): void => console.log(event.type);
const options: EntraVerifierOptions = { tenant: entra.tenantId, clientId: entra.api.appId, fetch: globalThis.fetch, onEvent };
const verifier = createEntraVerifier(options);
createEntraVerifier({ ...options, fetch: wrapped }).close();
const requirement: AuthRequirement = { scopes: ['Data.Read'] };
const auth: VerifiedAccessToken = await verifier.verify(token, requirement);
authorize(auth, { roles: ['Admin'] });
await verifyAccessToken(token, options).catch((error: unknown) => (error instanceof EntraAuthError ? toHttpError(error).status : 500));

const app = express();
app.use(expressAuth({ tenant: entra.tenantId, clientId: entra.api.appId }));
app.get('/data', requireScopes('Data.Read'), (req, res) => {
  res.json({ oid: req.auth?.principal.objectId });
});

const koa = new Koa();
koa.use(koaAuth({ tenant: entra.tenantId, clientId: entra.api.appId }));
koa.use((ctx) => {
  const who: VerifiedAccessToken | undefined = ctx.state.auth;
  ctx.body = who?.principal.objectId;
});

const hono = new Hono<{ Variables: EntraAuthVariables }>();
hono.use('/api/*', honoAuth({ tenant: entra.tenantId, clientId: entra.api.appId }));
hono.get('/api/admin', requireRoles('Admin'), (c) => c.json({ tenant: c.get('auth').tenantId }));
const open = new Hono<{ Variables: OptionalEntraAuthVariables }>();
open.use(honoAuth({ tenant: entra.tenantId, clientId: entra.api.appId, authRequired: false }));
open.get('/', (c) => c.text(c.get('auth')?.principal.objectId ?? 'anonymous'));

const fastify = Fastify();
await fastify.register(fastifyAuth, { tenant: entra.tenantId, clientId: entra.api.appId });
fastify.get('/data', { preHandler: fastifyScopes('Data.Read') }, async (request) => request.auth?.principal.objectId);

export const exit: Promise<number> = main(['--help'], { stdout: console.log, stderr: console.error, readStdin: async () => undefined, colour: false, now: Date.now });
`;

// A test suite with the fake Entra ID: its fetch plugs into the verifier and passes for the global
// fetch; its keys are the runtime's own WebCrypto keys, both ways (out to crypto.subtle and
// node:crypto, and a key pair of the user's in).
const testkitConsumer = `
import { KeyObject } from 'node:crypto';
import { createEntraVerifier, type EntraVerifierOptions } from '@entra-verify/core';
import { createFakeEntra } from '@entra-verify/testkit';
const entra = await createFakeEntra();
const options: EntraVerifierOptions = { tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch };
export const tenant: string = (await createEntraVerifier(options).verify(await entra.mint())).tenantId;
export const asGlobalFetch: typeof fetch = entra.fetch;
export const spki: ArrayBuffer = await crypto.subtle.exportKey('spki', entra.keys.current.publicKey);
export const pkcs8 = KeyObject.from(entra.keys.current.privateKey).export({ format: 'pem', type: 'pkcs8' });
const keyPair = await crypto.subtle.generateKey({ name: 'RSA-OAEP', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['encrypt', 'decrypt']);
export const encrypting = await createFakeEntra({ apis: [{ tokenEncryption: { keyPair } }] });
`;

// The forward-auth service embedded in an app.
const forwardAuthConsumer = `
import { createForwardAuthHandler, loadConfig, type ForwardAuthHandler } from '@entra-verify/forward-auth';
export const make: typeof createForwardAuthHandler = createForwardAuthHandler;
export const load: typeof loadConfig = loadConfig;
export type Handler = ForwardAuthHandler;
`;

// A CommonJS app on any TypeScript: type-only imports, values through import().
const cjsConsumer = `
import type { EntraVerifierOptions, VerifiedAccessToken } from '@entra-verify/core' with { 'resolution-mode': 'import' };
import type { EntraAuthVariables } from '@entra-verify/hono' with { 'resolution-mode': 'import' };

export async function verify(token: string): Promise<VerifiedAccessToken> {
  const { createEntraVerifier } = await import('@entra-verify/core');
  const { createFakeEntra } = await import('@entra-verify/testkit');
  const entra = await createFakeEntra();
  const options: EntraVerifierOptions = { tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch };
  return createEntraVerifier(options).verify(token);
}
export type Variables = EntraAuthVariables;
`;

// A CommonJS app on TypeScript >= 5.8: a plain import, which compiles to require() of the ES module.
const cjsRequireConsumer = `
import { createEntraVerifier, type VerifiedAccessToken } from '@entra-verify/core';
import { entraAuth } from '@entra-verify/express';
const verifier = createEntraVerifier({ tenant: '72f988bf-86f1-41af-91ab-2d7cd011db47', clientId: '6e74172b-be56-4843-9ff4-e66a39bb12e3' });
export const check = (token: string): Promise<VerifiedAccessToken> => verifier.verify(token);
export const middleware = entraAuth({ tenant: '72f988bf-86f1-41af-91ab-2d7cd011db47', clientId: '6e74172b-be56-4843-9ff4-e66a39bb12e3' });
`;

const esmFiles = { 'consumer.ts': esmConsumer, 'testkit.ts': testkitConsumer, 'forward-auth.ts': forwardAuthConsumer };
const consumers = {
  nodenext: { type: 'module', compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' }, files: esmFiles },
  bundler: { type: 'module', compilerOptions: { module: 'esnext', moduleResolution: 'bundler' }, files: esmFiles },
  commonjs: { type: 'commonjs', compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' }, files: { 'consumer.ts': cjsConsumer } },
};

/**
 * Packages whose declarations are known not to compile yet for such a consumer, with why. Their
 * errors are shown and not counted; once one compiles, the run fails until it is taken off this
 * list, so the list cannot outlive the problem.
 */
const PENDING = {};
/** The package an error line belongs to: the declaration file's package, or the consumer file's. */
const CONSUMER_FILE_PACKAGE = { 'testkit.ts': '@entra-verify/testkit', 'forward-auth.ts': '@entra-verify/forward-auth' };
function packageOf(line) {
  const declaration = /node_modules\/(@entra-verify\/[^/]+)\//.exec(line);
  if (declaration) return declaration[1];
  if (line.includes('node_modules/')) return undefined; // another package's declarations
  const file = /^([^(]+)\(/.exec(line)?.[1];
  return CONSUMER_FILE_PACKAGE[file] ?? '@entra-verify/core';
}
const pendingSeen = new Set();

const atLeast = (version, [major, minor]) => {
  const [a, b] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
};

const jobs = [];
for (const alias of ['typescript-minimum', 'typescript-latest']) {
  const version = versionOf(alias);
  for (const [name, consumer] of Object.entries(consumers)) {
    const dir = join(work, `${alias}-${name}`);
    mkdirSync(dir);
    const files = { ...consumer.files, ...(name === 'commonjs' && atLeast(version, REQUIRE_ESM_TYPESCRIPT) ? { 'require.ts': cjsRequireConsumer } : {}) };
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `${alias}-${name}`, private: true, type: consumer.type }));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...base, ...consumer.compilerOptions, typeRoots: [join(work, 'node_modules', '@types')] }, files: Object.keys(files) }, null, 2));
    const tsc = join(work, 'node_modules', alias, 'bin', 'tsc');
    const label = `TypeScript ${version} ${name}`;
    jobs.push(
      execFile(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: dir }).then(
        () => ({ ok: true, label, files: Object.keys(files), output: '' }),
        (error) => {
          const output = `${error.stdout ?? ''}${error.stderr ?? ''}`;
          // An error line names its file first; only our packages and the consumer's files count.
          // A run that failed without any error line (a crash) counts as failed.
          const errors = output.split('\n').filter((line) => /^\S[^(]*\(\d+,\d+\): error/.test(line));
          const owners = errors.map(packageOf);
          for (const owner of owners) if (owner && owner in PENDING) pendingSeen.add(owner);
          const counted = owners.filter((owner) => owner && !(owner in PENDING));
          return { ok: errors.length > 0 && counted.length === 0, label, files: Object.keys(files), output };
        },
      ),
    );
  }
}
const results = await Promise.all(jobs);
for (const result of results) {
  const note = result.ok && result.output ? '  (errors not counted: other packages\' declarations, or a package on the pending list:)' : '';
  console.log(`${result.ok ? 'ok  ' : 'FAIL'}  ${result.label.padEnd(32)} ${result.files.join(', ')}${note}`);
  if (result.output) console.log(result.output.replaceAll(work, '<consumers>').trimEnd().replace(/^/gm, '      '));
}
let failed = results.filter((result) => !result.ok).length;
for (const [name, why] of Object.entries(PENDING)) {
  if (pendingSeen.has(name)) console.log(`pending  ${name}: ${why}`);
  else {
    console.log(`FAIL  ${name} now compiles for every consumer: take it off PENDING in scripts/consumer-matrix.mjs`);
    failed++;
  }
}
console.log(`${failed ? `${failed} of ${results.length} consumer type-checks failed` : `${results.length} consumer type-checks pass`} (${Math.round((Date.now() - started) / 1000)} s; lib es2023, types node, skipLibCheck false)${keep ? `; projects kept in ${work}` : ''}`);
if (!keep) rmSync(work, { recursive: true, force: true });
process.exitCode = failed ? 1 : 0;
