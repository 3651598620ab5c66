// Issue #18, items 4, 7 and 8: where a new user finds the ids to configure (the register-your-API
// guide), the API reference and every exported name on its package page, and the consumer matrix
// that type-checks the packed packages on the minimum and the latest TypeScript.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const read = (path: string) => readFileSync(join(repo, path), 'utf8');

describe('the register-your-API guide (item 7)', () => {
  const guide = read('docs/register-your-api.md');

  it('is linked from the root README, next to the quick start', () => {
    expect(read('README.md')).toContain('](docs/register-your-api.md)');
  });

  it.each([
    ['the Application ID URI', /Application ID URI/],
    ['scopes', /Add a scope/],
    ['app roles', /Create app role/],
    ['the token version', /accessTokenAcceptedVersion/],
    ['admin consent', /Grant admin consent/],
  ])('covers %s in the admin center', (_topic, text) => {
    expect(guide).toMatch(text);
  });

  it.each([
    'az ad app create',
    'az ad sp create',
    '--identifier-uris',
    'api.oauth2PermissionScopes',
    '--app-roles',
    '--requested-access-token-version 2',
    'az ad app permission add',
    'az ad app permission admin-consent',
  ])('gives the Azure CLI equivalent: %s', (command) => {
    expect(guide).toContain(command);
  });

  it('cites Microsoft for every step', () => {
    for (const page of ['quickstart-register-app', 'quickstart-configure-app-expose-web-apis', 'howto-add-app-roles-in-apps', 'grant-admin-consent', 'cli/azure/ad/app']) {
      expect(guide).toMatch(new RegExp(`\\(https://learn\\.microsoft\\.com/[^)]*${page}`));
    }
  });

  it('says which value goes into which option', () => {
    expect(guide).toMatch(/\| \*\*Directory \(tenant\) ID\*\* \| `tenant: /);
    expect(guide).toMatch(/\| \*\*Application \(client\) ID\*\* of the \*\*API\*\* \| `clientId: /);
    expect(guide).toMatch(/`AZURE_TENANT_ID`/);
    expect(guide).toMatch(/`AZURE_CLIENT_ID`/);
    expect(guide).toMatch(/the short name, as in `scp`, never `api:\/\/…\/Data\.Read`/);
  });
});

describe('the API reference and the export lists (item 8)', () => {
  it('the root README links the API reference and CI builds it', () => {
    expect(read('README.md')).toMatch(/\]\(docs\/api\/index\.html\)/);
    expect(read('.ci/run')).toMatch(/^npm run docs$/m);
    expect(JSON.parse(read('typedoc.json')).out).toBe('docs/api');
  });

  it('every package README lists every name its index.ts exports (scripts/readme-exports.mjs --check)', () => {
    const result = spawnSync(process.execPath, [join(repo, 'scripts/readme-exports.mjs'), '--check'], { cwd: repo, encoding: 'utf8' });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  }, 60_000);
});

describe('the consumer matrix (item 4)', () => {
  const script = read('scripts/consumer-matrix.mjs');

  it('runs in CI as its own section', () => {
    expect(read('.ci/run')).toMatch(/section "consumer matrix[^"]*"\nnpm run check:consumers\n/);
    expect(JSON.parse(read('package.json')).scripts['check:consumers']).toBe('node scripts/consumer-matrix.mjs');
  });

  it('type-checks on the minimum TypeScript the README states and on the latest', () => {
    const minimum = /MINIMUM_TYPESCRIPT = '(\d+\.\d+)'/.exec(script)?.[1];
    expect(minimum).toBeDefined();
    expect(read('README.md')).toContain(`TypeScript ${minimum} or later`);
    expect(script).toContain('typescript-latest@npm:typescript@latest');
  });

  it('with module nodenext, bundler and CommonJS, without the DOM lib and without skipLibCheck', () => {
    expect(script).toMatch(/nodenext: \{ type: 'module', compilerOptions: \{ module: 'nodenext', moduleResolution: 'nodenext' \}/);
    expect(script).toMatch(/bundler: \{ type: 'module', compilerOptions: \{ module: 'esnext', moduleResolution: 'bundler' \}/);
    expect(script).toMatch(/commonjs: \{ type: 'commonjs'/);
    expect(script).toContain("lib: ['es2023'], types: ['node']");
    expect(script).toContain('skipLibCheck: false');
  });
});
