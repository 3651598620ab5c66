import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCTOR_BIN, FAKE_BIN, runCli, startFakeServer } from './run-cli.js';

let entra: FakeEntra;
let jwksFile: string;
let verifyArgs: string[];
beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read', 'Data.Write'], appRoles: ['Data.Read.All'] }] });
  jwksFile = join(await mkdtemp(join(tmpdir(), 'doctor-')), 'keys.json');
  writeFileSync(jwksFile, await (await entra.fetch(entra.jwksUri())).text());
  verifyArgs = ['--tenant', entra.tenantId, '--client-id', entra.api.appId, '--jwks', jwksFile];
});

const doctor = (token: string, args: string[] = []) => runCli(DOCTOR_BIN, ['doctor', token, ...args]);

describe('entra-verify doctor', () => {
  it('decodes a token into a readable table without verifying it', async () => {
    const token = await entra.mint({ version: 1, api: entra.api.appId });
    const { code, stdout } = await doctor(token);
    expect(code).toBe(0);
    expect(stdout).toContain(`issuer      https://sts.windows.net/${entra.tenantId}/  (v1 form)`);
    expect(stdout).toContain(`audience    ${entra.api.identifierUri}  (Application ID URI, the form v1 tokens carry)`);
    expect(stdout).toMatch(/caller\s+user Adele Vance <adele\.vance@contoso\.onmicrosoft\.com>/);
    expect(stdout).toMatch(/expires\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC {2}\(expires in 60 minutes\)/);
    expect(stdout).toContain('Nothing was verified.');
    expect(stdout).not.toContain(token.split('.')[1]!);
  });

  it('exits 0 for a token the API would accept, read from stdin as a pasted header', async () => {
    const { code, stdout } = await runCli(DOCTOR_BIN, ['doctor', ...verifyArgs, '--scopes', 'Data.Read'], `Authorization: Bearer ${await entra.mint()}\n`);
    expect(code).toBe(0);
    expect(stdout).toContain('Accepted: an API with these settings would accept this token.');
    expect(stdout).toContain('✓ requirement');
  });

  it.each([
    ['a v1 token where v2 is required', () => entra.mint({ version: 1 }), () => ['--token-version', '2'], 'issuer_mismatch', /This is a v1 token \(sts\.windows\.net issuer\) but tokenVersion is 2/],
    ['a GUID audience where api:// is configured', () => entra.mint(), () => ['--audience', entra.api.identifierUri], 'audience_mismatch', /client id \(GUID\), the form v2 tokens use/],
    ['a Microsoft Graph token', () => entra.mintGraphToken(), () => [], 'graph_token', /Request this API's scope instead/],
    ['an ID token', () => entra.mintIdToken(), () => [], 'audience_mismatch', /looks like an ID token/],
    ['a literal {tenantid} issuer', () => entra.mint({ claims: { iss: 'https://login.microsoftonline.com/{tenantid}/v2.0' } }), () => [], 'signing_key_issuer_mismatch', /literal \{tenantid\}/],
    ['a key not in the key set (after rotation)', async () => entra.mint({ signingKey: await entra.createUnpublishedKey() }), () => [], 'signing_key_not_found', /key rollover.*set appId/],
    ['a client-credentials token without app roles', () => entra.mint({ appOnly: true, roles: [] }), () => [], 'no_scope_or_role', /client-credentials \(app-only\) token has no roles/],
    ['a full api://…/Scope requirement', () => entra.mint(), () => ['--scopes', 'api://x/Data.Read'], 'insufficient_scope', /scp holds short names such as "Data\.Read"/],
    ['clock skew: an expired token', () => entra.mint({ issuedAt: Math.floor(Date.now() / 1000) - 3 * 3600 }), () => [], 'token_expired', /expired 2 hours ago/],
  ] as const)('explains %s and exits 1', async (_case, mint, args, code, explanation) => {
    const configured = args();
    const audience = configured.includes('--audience') ? [] : ['--client-id', entra.api.appId];
    const result = await doctor(await mint(), ['--tenant', entra.tenantId, '--jwks', jwksFile, ...audience, ...configured]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`✗`);
    expect(result.stdout).toContain(code);
    expect(result.stdout).toMatch(explanation);
    expect(result.stdout).toMatch(new RegExp(`Refused: .*${code}`));
  });

  it('lists every failing rule, not only the first', async () => {
    const token = await entra.mint({ version: 1, issuedAt: Math.floor(Date.now() / 1000) - 3 * 3600 });
    const { stdout } = await doctor(token, [...verifyArgs, '--token-version', '2', '--audience', 'api://elsewhere']);
    expect(stdout).toMatch(/Refused: issuer_mismatch, token_expired/);
  });

  it('prints JSON for scripts', async () => {
    const { code, stdout } = await doctor(await entra.mint({ audience: 'api://elsewhere' }), [...verifyArgs, '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { decoded: { claims: { aud: string } }; verification: { accepted: boolean; checks: Array<{ rule: string; outcome: string; code?: string }> } };
    expect(report.decoded.claims.aud).toBe('api://elsewhere');
    expect(report.verification.accepted).toBe(false);
    expect(report.verification.checks).toContainEqual(expect.objectContaining({ rule: 'audience', outcome: 'failed', code: 'audience_mismatch' }));
  });

  it.each([
    [[], /no token given/],
    [['abc', 'def'], /at most one token/],
    [['abc', '--audience', 'api://x'], /--audience needs --tenant/],
    [['abc', '--tenant', 'contoso.com', '--audience', 'api://x'], /tenant must be a tenant GUID/],
    [['abc', '--tenant', crypto.randomUUID()], /--tenant needs --audience or --client-id/],
    [['abc', '--bogus'], /Unknown option '--bogus'/],
    [['abc', '--tenant', crypto.randomUUID(), '--client-id', crypto.randomUUID(), '--match', 'some'], /--match must be all or any/],
  ])('exits 2 with a usage line for bad usage %j', async (args, message) => {
    const { code, stderr } = await runCli(DOCTOR_BIN, ['doctor', ...args]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/Usage: entra-verify doctor|entra-verify doctor --help/);
  });

  it('exits 2 for an unknown command, and 1 for a value that is not a JWT', async () => {
    expect((await runCli(DOCTOR_BIN, ['diagnose'])).code).toBe(2);
    const notJwt = await doctor('hello');
    expect(notJwt.code).toBe(1);
    expect(notJwt.stdout).toContain('not a decodable JWT');
  });
});

describe('entra-verify-fake with the doctor', () => {
  let server: Awaited<ReturnType<typeof startFakeServer>>;
  beforeAll(async () => {
    server = await startFakeServer(['--scopes', 'Data.Read,Data.Write']);
  });
  afterAll(() => server.stop());

  it('serve prints how to configure a verifier; token mints one the doctor accepts online against it', async () => {
    const tenant = /tenant (\S+)/.exec(server.output)![1]!;
    const apiClientId = /API {4}(\S+)/.exec(server.output)![1]!;
    expect(server.output).toContain(`cloud: { authorityHost: '${server.url}' }`);
    const minted = await runCli(FAKE_BIN, ['token', '--server', server.url, '--scopes', 'Data.Read']);
    expect(minted.code).toBe(0);
    expect(minted.stderr).toContain(`createEntraVerifier({ tenant: '${tenant}'`);
    const token = minted.stdout.trim();
    const checked = await doctor(token, ['--tenant', tenant, '--client-id', apiClientId, '--cloud', server.url, '--scopes', 'Data.Read']);
    expect(checked.stdout).toContain('Accepted');
    expect(checked.code).toBe(0);
  });

  it('a key endpoint that answers 400 (wrong tenant in the URL) is explained', async () => {
    const apiClientId = /API {4}(\S+)/.exec(server.output)![1]!;
    const token = (await runCli(FAKE_BIN, ['token', '--server', server.url])).stdout.trim();
    const checked = await doctor(token, ['--tenant', crypto.randomUUID(), '--client-id', apiClientId, '--cloud', server.url]);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toMatch(/keys_unavailable.*\n.*answered HTTP 400.*check the tenant GUID and the cloud option/);
  });

  it('token fails clearly when no fake is running, and bad usage exits 2', async () => {
    const missing = await runCli(FAKE_BIN, ['token', '--server', 'http://127.0.0.1:9']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Start one with: npx entra-verify-fake serve');
    const usage = await runCli(FAKE_BIN, ['mint']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage:');
  });
});
