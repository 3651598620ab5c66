import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOCTOR_BIN, runCli } from './run-cli.js';

let entra: FakeEntra;
let args: string[];
beforeAll(async () => {
  entra = await createFakeEntra({ tenants: 2, apis: [{ scopes: ['Data.Read'] }] });
  const dir = await mkdtemp(join(tmpdir(), 'doctor-authorities-'));
  const jwks = join(dir, 'keys.json');
  writeFileSync(jwks, await (await entra.fetch(entra.jwksUri())).text());
  const authorities = join(dir, 'authorities.json');
  writeFileSync(authorities, JSON.stringify({ authorities: [{ name: 'employees', tenant: entra.tenants[0]!.id, clientId: entra.api.appId }, { name: 'partners', tenant: entra.tenants[1]!.id, clientId: entra.api.appId }] }));
  args = ['--authorities', authorities, '--jwks', jwks];
});

describe('entra-verify doctor --authorities', () => {
  it('diagnoses through the authority the issuer chooses', async () => {
    const { code, stdout } = await runCli(DOCTOR_BIN, ['doctor', await entra.mint({ tenantId: entra.tenants[1]!.id }), ...args, '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { verification: { accepted: boolean; authority: string; checks: Array<{ rule: string }> } };
    expect(report.verification).toMatchObject({ accepted: true, authority: 'partners' });
    expect(report.verification.checks.map((c) => c.rule)).toContain('authority');
  });

  it('explains an issuer no authority accepts, and refuses per-authority flags beside the file', async () => {
    const refused = await runCli(DOCTOR_BIN, ['doctor', await entra.mint({ tenantId: crypto.randomUUID() }), ...args]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('issuer_mismatch');
    expect(refused.stdout).toContain('"employees"');
    const usage = await runCli(DOCTOR_BIN, ['doctor', 'a.b.c', ...args, '--client-id', entra.api.appId]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--client-id belongs to an authority');
  });
});
