// Encrypted access tokens (JWE): decrypted with decryptionKeys, then verified by every rule.
// The inner tokens come from the testkit; they are encrypted here with jose until the testkit's
// own encrypted-token minting lands.
import { createPrivateKey } from 'node:crypto';
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { CompactEncrypt, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { EntraAuthError, type DecryptionKey } from '../src/index.js';
import { backends, countingBackend, rejection, verifierFactory } from './support/backends.js';

let entra: FakeEntra;
let privateJwk: JWK;
let publicKey: CryptoKey;
let otherPrivateJwk: JWK;
let otherPublicKey: CryptoKey;

const b64url = (text: string) => Buffer.from(text).toString('base64url');

/** Encrypt as Entra would for the registration's certificate (RSA-OAEP needs the key imported for SHA-1). */
async function encrypt(inner: string, { alg = 'RSA-OAEP-256', enc = 'A256GCM', kid, key = publicKey }: { alg?: string; enc?: string; kid?: string; key?: CryptoKey } = {}): Promise<string> {
  const wrapping = alg === 'RSA-OAEP' ? await importJWK(await exportJWK(key), 'RSA-OAEP') : key;
  return new CompactEncrypt(new TextEncoder().encode(inner)).setProtectedHeader({ alg, enc, cty: 'JWT', ...(kid ? { kid } : {}) }).encrypt(wrapping);
}

/** A JWE-shaped token whose header says whatever the test needs; the other parts are filler. */
const craftedJwe = (header: Record<string, unknown>) => [b64url(JSON.stringify(header)), 'AAAA', 'AAAAAAAAAAAAAAAA', 'AAAA', 'AAAAAAAAAAAAAAAAAAAAAA'].join('.');

beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read'] }] });
  const pair = await generateKeyPair('RSA-OAEP-256', { extractable: true });
  privateJwk = await exportJWK(pair.privateKey);
  publicKey = pair.publicKey;
  const other = await generateKeyPair('RSA-OAEP-256', { extractable: true });
  otherPrivateJwk = await exportJWK(other.privateKey);
  otherPublicKey = other.publicKey;
});

describe.each(backends)('encrypted tokens (%s)', (_name, backend) => {
  const create = verifierFactory(backend);
  const options = (decryptionKeys?: DecryptionKey[]) => ({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, ...(decryptionKeys ? { decryptionKeys } : {}) });

  it('decrypts RSA-OAEP-256 / A256GCM and verifies the signed token inside, with the same result as the plain token', async () => {
    const inner = await entra.mint({ scopes: ['Data.Read'] });
    const verifier = create(options([privateJwk as DecryptionKey]));
    const encrypted = await encrypt(inner);
    expect(encrypted.split('.')).toHaveLength(5);
    const fromEncrypted = await verifier.verify(encrypted, { scopes: ['Data.Read'] });
    const plainVerifier = create(options());
    const fromPlain = await plainVerifier.verify(inner);
    expect(fromEncrypted).toEqual(fromPlain);
  });

  it('refuses an encrypted token whose segments are not strict base64url (whitespace another decoder would skip)', async () => {
    const verifier = create(options([privateJwk as DecryptionKey]));
    const encrypted = await encrypt(await entra.mint());
    await verifier.verify(encrypted);
    const parts = encrypted.split('.');
    for (const [segment, insert] of [[3, ' '], [3, '\t'], [4, ' '], [1, '\n'], [2, '+']] as const) {
      const respelled = parts.map((part, i) => (i === segment ? `${part.slice(0, 4)}${insert}${part.slice(4)}` : part)).join('.');
      expect((await rejection(verifier.verify(respelled))).code, `segment ${segment} with ${JSON.stringify(insert)}`).toBe('malformed_token');
    }
  });

  it('decrypts RSA-OAEP / A128CBC-HS256', async () => {
    const verifier = create(options([privateJwk as DecryptionKey]));
    const auth = await verifier.verify(await encrypt(await entra.mint(), { alg: 'RSA-OAEP', enc: 'A128CBC-HS256' }));
    expect(auth.tenantId).toBe(entra.tenantId);
  });

  it('decrypts A128GCM and A256CBC-HS512 content encryption too', async () => {
    const verifier = create(options([privateJwk as DecryptionKey]));
    for (const enc of ['A128GCM', 'A256CBC-HS512']) await verifier.verify(await encrypt(await entra.mint(), { enc }));
  });

  it('still accepts plain signed tokens when decryptionKeys are set', async () => {
    const verifier = create(options([privateJwk as DecryptionKey]));
    await verifier.verify(await entra.mint());
  });

  it('accepts a CryptoKey and a Node.js KeyObject as decryption keys', async () => {
    const cryptoKey = (await crypto.subtle.importKey('jwk', { ...privateJwk, alg: undefined } as JsonWebKey, { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['decrypt'])) as CryptoKey;
    await create(options([cryptoKey])).verify(await encrypt(await entra.mint()));
    const keyObject = createPrivateKey({ key: privateJwk as import('node:crypto').JsonWebKey, format: 'jwk' });
    await create(options([keyObject])).verify(await encrypt(await entra.mint()));
    await create(options([{ kid: 'wrapped', key: keyObject }])).verify(await encrypt(await entra.mint(), { kid: 'wrapped' }));
  });

  it('tries every key when several are configured and the header kid names none of them (a rollover)', async () => {
    const verifier = create(options([{ ...otherPrivateJwk, kid: 'old' } as DecryptionKey, { ...privateJwk, kid: 'new' } as DecryptionKey]));
    await verifier.verify(await encrypt(await entra.mint()));
    await verifier.verify(await encrypt(await entra.mint(), { kid: 'unknown-thumbprint' }));
    await verifier.verify(await encrypt(await entra.mint(), { kid: 'new' }));
  });

  it('uses only the key the header kid names when one matches', async () => {
    const verifier = create(options([{ ...otherPrivateJwk, kid: 'old' } as DecryptionKey, { ...privateJwk, kid: 'new' } as DecryptionKey]));
    // Encrypted for "new" but labelled "old": only "old" is tried, and it cannot open the token.
    const error = await rejection(verifier.verify(await encrypt(await entra.mint(), { kid: 'old' })));
    expect(error.code).toBe('decryption_failed');
    expect(error.hint).toContain('kid "old"');
    expect(error.hint).not.toContain('kid "new"');
  });

  it('refuses a token encrypted for another key with decryption_failed, a 401 invalid_token', async () => {
    const verifier = create(options([privateJwk as DecryptionKey]));
    const error = await rejection(verifier.verify(await encrypt(await entra.mint(), { key: otherPublicKey })));
    expect(error).toBeInstanceOf(EntraAuthError);
    expect([error.code, error.status, error.oauthError]).toEqual(['decryption_failed', 401, 'invalid_token']);
    expect(error.hint).toContain('tokenEncryptionKeyId');
  });

  it('refuses a tampered ciphertext, IV or tag with decryption_failed', async () => {
    const verifier = create(options([privateJwk as DecryptionKey]));
    const parts = (await encrypt(await entra.mint())).split('.');
    for (const index of [1, 2, 3, 4]) {
      const altered = [...parts];
      const segment = altered[index]!;
      altered[index] = (segment[0] === 'A' ? 'B' : 'A') + segment.slice(1);
      const error = await rejection(verifier.verify(altered.join('.')));
      expect(error, `part ${index}`).toBeInstanceOf(EntraAuthError);
      expect(error.code, `part ${index}`).toBe('decryption_failed');
    }
  });

  it('refuses key-management and content-encryption algorithms outside the allow-list before any decryption', async () => {
    const verifier = create(options([privateJwk as DecryptionKey]));
    for (const header of [{ alg: 'RSA1_5', enc: 'A256GCM' }, { alg: 'dir', enc: 'A256GCM' }, { alg: 'ECDH-ES', enc: 'A256GCM' }, { alg: 'PBES2-HS256+A128KW', enc: 'A256GCM' }, { alg: 'RSA-OAEP', enc: 'A192GCM' }, { alg: 'RSA-OAEP' }, { enc: 'A256GCM' }]) {
      const error = await rejection(verifier.verify(craftedJwe(header)));
      expect(error, JSON.stringify(header)).toBeInstanceOf(EntraAuthError);
      expect(error.code, JSON.stringify(header)).toBe('algorithm_not_allowed');
    }
  });

  it('refuses compressed tokens (zip) and malformed JWE headers', async () => {
    const verifier = create(options([privateJwk as DecryptionKey]));
    expect((await rejection(verifier.verify(craftedJwe({ alg: 'RSA-OAEP-256', enc: 'A256GCM', zip: 'DEF' })))).code).toBe('decryption_failed');
    expect((await rejection(verifier.verify(['!!', 'a', 'b', 'c', 'd'].join('.')))).code).toBe('malformed_token');
    expect((await rejection(verifier.verify([b64url('[1]'), 'a', 'b', 'c', 'd'].join('.')))).code).toBe('malformed_token');
  });

  it('refuses an inner token that is itself encrypted, or not a JWT at all', async () => {
    const verifier = create(options([privateJwk as DecryptionKey]));
    const nested = await rejection(verifier.verify(await encrypt(await encrypt(await entra.mint()))));
    expect(nested.code).toBe('malformed_token');
    expect(nested.hint).toContain('itself an encrypted token');
    expect((await rejection(verifier.verify(await encrypt('not a token')))).code).toBe('malformed_token');
  });

  it('caps the token as sent at maxTokenBytes, before spending a private-key operation on it', async () => {
    const inner = await entra.mint();
    const encrypted = await encrypt(inner);
    const verifier = create({ ...options([privateJwk as DecryptionKey]), maxTokenBytes: encrypted.length - 1 });
    expect((await rejection(verifier.verify(encrypted))).code).toBe('token_too_large');
  });

  it('runs every rule on the inner token: a forged signature, an expired token, a wrong audience', async () => {
    const verifier = create(options([privateJwk as DecryptionKey]));
    const [h, p, s] = (await entra.mint()).split('.') as [string, string, string];
    const forged = `${h}.${b64url(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), roles: ['Admin'] }))}.${s}`;
    expect((await rejection(verifier.verify(await encrypt(forged)))).code).toBe('invalid_signature');
    const expired = await entra.mint({ issuedAt: Math.floor(Date.now() / 1000) - 7200, expiresIn: 600 });
    expect((await rejection(verifier.verify(await encrypt(expired)))).code).toBe('token_expired');
    expect((await rejection(verifier.verify(await encrypt(await entra.mint({ audience: 'api://someone-else' }))))).code).toBe('audience_mismatch');
  });

  it('caches by the encrypted text: a repeated token skips decryption and the signature, never lifetime', async () => {
    const counting = countingBackend(backend);
    const verifier = verifierFactory(counting)(options([privateJwk as DecryptionKey]));
    const encrypted = await encrypt(await entra.mint());
    for (let i = 0; i < 4; i++) await verifier.verify(encrypted);
    expect(counting.verifications).toBe(2);
  });

  it('without decryptionKeys, explains that the registration encrypts tokens and both ways out', async () => {
    const verifier = create(options());
    const error = await rejection(verifier.verify(await encrypt(await entra.mint())));
    expect(error.code).toBe('malformed_token');
    expect(error.hint).toContain('tokenEncryptionKeyId');
    expect(error.hint).toContain('decryptionKeys');
    expect(error.hint).toContain('"Encrypt"');
    expect(error.hint).not.toContain('first-party');
  });

  it('reports decryption as the first rule in diagnose()', async () => {
    const verifier = create(options([privateJwk as DecryptionKey]));
    const good = await verifier.diagnose(await encrypt(await entra.mint()));
    expect(good.accepted).toBe(true);
    expect(good.checks[0]).toEqual({ rule: 'decryption', outcome: 'passed' });
    const bad = await verifier.diagnose(await encrypt(await entra.mint(), { key: otherPublicKey }));
    expect(bad.checks.slice(0, 2).map((c) => [c.rule, c.outcome, c.error?.code])).toEqual([
      ['decryption', 'failed', 'decryption_failed'],
      ['format', 'skipped', undefined],
    ]);
  });
});

describe('decryptionKeys option', () => {
  const base = () => ({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch });
  const create = verifierFactory(backends[0]![1]);

  it('refuses public keys, empty lists and keys that are not RSA, at start-up', async () => {
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk;
    expect(() => create({ ...base(), decryptionKeys: [publicJwk as DecryptionKey] })).toThrow(/public key/);
    expect(() => create({ ...base(), decryptionKeys: [] })).toThrow(TypeError);
    expect(() => create({ ...base(), decryptionKeys: [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b', d: 'c' } as unknown as DecryptionKey] })).toThrow(/RSA/);
    expect(() => create({ ...base(), decryptionKeys: [publicKey] })).toThrow(/private/);
    expect(() => create({ ...base(), decryptionKeys: ['pem' as unknown as DecryptionKey] })).toThrow(TypeError);
    expect(() => create({ ...base(), decryptionKeys: [{ ...privateJwk, use: 'sig' } as unknown as DecryptionKey] })).toThrow(/use/);
  });

  it('does not freeze or keep the caller\'s JWK object', async () => {
    const mine = { ...privateJwk } as DecryptionKey;
    const verifier = create({ ...base(), decryptionKeys: [mine] });
    await verifier.verify(await encrypt(await entra.mint()));
    expect(Object.isFrozen(mine)).toBe(false);
  });
});
