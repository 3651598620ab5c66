// The doctor explains the token shapes beyond workforce tokens: a B2C user flow, an encrypted
// token, a certificate-bound token, and a key that is missing from the key set it fetched.
import { createFakeB2C, createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDoctorInProcess } from './run-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'doctor-shapes-'));
});

const doctor = runDoctorInProcess;

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('entra-verify doctor on other token shapes', () => {
  it('names the B2C user flow and verifies against the policy authority', async () => {
    const b2c = await createFakeB2C({ tenantName: 'contosob2c', policies: ['B2C_1_susi'] });
    const token = await b2c.mint({ policy: 'B2C_1_susi', scopes: ['demo.read'] });
    const decoded = await doctor([token]);
    expect(decoded.stdout).toMatch(/user flow\s+b2c_1_susi\s+\(Azure AD B2C user flow, tfp/i);
    expect(decoded.stdout).toMatch(/tenant\s+\(no tid claim: Azure AD B2C names its tenant in iss\)/);
    const verified = await doctor([token, '--tenant', b2c.tenantId, '--authority', b2c.authority('B2C_1_susi'), '--audience', b2c.apiAppId, '--scopes', 'demo.read'], b2c.fetch);
    expect(verified.stdout).toContain('Accepted: an API with these settings would accept this token.');
    expect(verified.code).toBe(0);
  });

  it('says an encrypted token is encrypted and why, and decrypts it with --decryption-key', async () => {
    const entra = await createFakeEntra({ apis: [{ tokenEncryption: true, scopes: ['Data.Read'] }] });
    const token = await entra.mint();
    expect(token.split('.')).toHaveLength(5);
    const jwks = file('keys.json', await (await entra.fetch(entra.jwksUri())).text());
    const args = [token, '--tenant', entra.tenantId, '--client-id', entra.api.appId, '--jwks', jwks];

    const locked = await doctor(args);
    expect(locked.code).toBe(1);
    expect(locked.stdout).toMatch(/format\s+encrypted token \(JWE, five parts\)/);
    expect(locked.stdout).toMatch(/--decryption-key/);
    expect(locked.stdout).toMatch(/token-encryption key/);

    const key = file('decrypt.jwk', JSON.stringify(entra.api.tokenEncryptionKey!.privateJwk));
    const opened = await doctor([...args, '--decryption-key', key]);
    expect(opened.stdout).toMatch(/decrypted with --decryption-key/);
    expect(opened.stdout).toMatch(/audience\s+/);
    expect(opened.stdout).toContain('Accepted');
    expect(opened.code).toBe(0);

    const wrong = await doctor([...args, '--decryption-key', file('missing.pem', 'not a key')]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--decryption-key .*missing\.pem is not a private key/);
  });

  it('shows the certificate a bound token needs, refuses it without that certificate, and accepts it with --client-cert', async () => {
    const entra = await createFakeEntra();
    const cert = await entra.createClientCertificate();
    const other = await entra.createClientCertificate();
    const token = await entra.mint({ certificate: cert.certificate });
    const jwks = file('bound-keys.json', await (await entra.fetch(entra.jwksUri())).text());
    const args = [token, '--tenant', entra.tenantId, '--client-id', entra.api.appId, '--jwks', jwks];

    const bare = await doctor(args);
    expect(bare.stdout).toMatch(new RegExp(`bound to\\s+client certificate x5t#S256 ${cert.thumbprintS256}`));
    expect(bare.stdout).toContain('certificate_binding_required');
    expect(bare.code).toBe(1);

    expect((await doctor([...args, '--client-cert', file('other.pem', other.pem)])).stdout).toContain('certificate_mismatch');
    const proven = await doctor([...args, '--client-cert', file('cert.pem', cert.pem)]);
    expect(proven.stdout).toContain('Accepted');
    expect(proven.code).toBe(0);
  });

  it('explains a key missing from the fetched key set, flapping included', async () => {
    const entra: FakeEntra = await createFakeEntra();
    const old = entra.keys.current;
    await entra.rotate();
    const token = await entra.mint({ kid: old.kid });
    entra.keys.flap(old.kid);
    // The first response of a flapping key set lacks the key (the testkit's flap starts absent);
    // the refetch its unknown kid causes has it, and the doctor says that this was a flap.
    const flapped = await doctor([token, '--tenant', entra.tenantId, '--client-id', entra.api.appId], entra.fetch);
    expect(flapped.stdout).toContain('Accepted');
    expect(flapped.stdout).toMatch(new RegExp(`Note: key ${old.kid} was missing from the first response .* and present when it was fetched again`));

    // A key absent from every response: refused, and the hint names a flap as one possible cause.
    entra.retire(old.kid);
    const gone = await doctor([token, '--tenant', entra.tenantId, '--client-id', entra.api.appId], entra.fetch);
    expect(gone.stdout).toContain('signing_key_not_found');
    expect(gone.stdout).toMatch(/briefly lacks a key still in use/);
    expect(gone.stdout).not.toContain('Note: key');
  });
});
