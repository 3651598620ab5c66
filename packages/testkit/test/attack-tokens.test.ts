import { createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFakeEntra, type AttackToken, type FakeEntra } from '../src/index.js';
import { decodeHeader, decodePayload, verifyWithJose } from './support/verify-with-jose.js';

let entra: FakeEntra;
let attacks: Map<string, AttackToken>;
const attack = (name: string): string => {
  const found = attacks.get(name);
  if (!found) throw new Error(`no attack token named ${name}`);
  return found.token;
};

beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read'] }] });
  attacks = new Map((await entra.attackTokens()).map((a) => [a.name, a]));
});

describe('attackTokens()', () => {
  it('returns at least 25 distinct, named, explained tokens with an expected code', () => {
    expect(attacks.size).toBeGreaterThanOrEqual(25);
    for (const a of attacks.values()) {
      expect(a.reason.length).toBeGreaterThan(10);
      expect(a.expectedCode).toMatch(/^[a-z_]+$/);
      expect(a.token).not.toBe('');
    }
  });

  it('none: alg none with an empty signature', () => {
    const [, , signature] = attack('alg-none').split('.');
    expect(decodeHeader(attack('alg-none')).alg).toBe('none');
    expect(signature).toBe('');
  });

  it('HS256 confusion: a real HMAC over the token with the PEM public key as secret', async () => {
    const token = attack('hs256-public-key-as-secret');
    const [h, p, s] = token.split('.');
    const pem = entra.keys.current.publicKey;
    const spki = Buffer.from(await crypto.subtle.exportKey('spki', pem)).toString('base64');
    const secret = `-----BEGIN PUBLIC KEY-----\n${spki.match(/.{1,64}/g)!.join('\n')}\n-----END PUBLIC KEY-----\n`;
    expect(createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url')).toBe(s);
    expect(decodeHeader(token)).toMatchObject({ alg: 'HS256', kid: entra.keys.current.kid });
  });

  it('validly signed tokens that must still be refused do verify with jose', async () => {
    for (const name of ['other-tenant', 'wrong-audience', 'expired', 'graph-audience-url', 'no-scope-or-role', 'missing-tid', 'issuer-tenant-differs-from-tid', 'issuer-of-other-cloud', 'tid-not-a-guid', 'id-token', 'oversized']) {
      await expect(verifyWithJose(entra, attack(name), { clockTolerance: 3 * 3600 }), name).resolves.toBeDefined();
    }
  });

  it('other-tenant is signed by the real key for a tenant other than the target', async () => {
    const payload = decodePayload(attack('other-tenant'));
    expect(payload.tid).not.toBe(entra.tenantId);
    expect(payload.iss).toBe(`https://login.microsoftonline.com/${String(payload.tid)}/v2.0`);
  });

  it('tampered, stripped and foreign-key tokens fail signature verification with jose', async () => {
    for (const name of ['payload-tampered', 'signature-stripped', 'foreign-key-published-kid', 'jku-header', 'x5u-header', 'embedded-jwk', 'embedded-x5c']) {
      await expect(verifyWithJose(entra, attack(name)), name).rejects.toThrow();
    }
    expect(decodeHeader(attack('foreign-key-published-kid')).kid).toBe(entra.keys.current.kid);
    expect(decodeHeader(attack('jku-header')).jku).toBe('https://attacker.example/keys');
    expect(decodeHeader(attack('embedded-jwk')).jwk).toMatchObject({ kty: 'RSA' });
  });

  it('unknown-kid names a kid the key set does not publish', () => {
    expect(decodeHeader(attack('unknown-kid')).kid).not.toBe(entra.keys.current.kid);
  });

  it('graph-token has the Graph audience and a nonce header', () => {
    expect(decodePayload(attack('graph-token')).aud).toBe('00000003-0000-0000-c000-000000000000');
    expect(decodeHeader(attack('graph-token'))).toHaveProperty('nonce');
  });

  it('time attacks are outside any tolerance', () => {
    const now = Date.now() / 1000;
    expect(Number(decodePayload(attack('expired')).exp)).toBeLessThan(now - 3000);
    expect(Number(decodePayload(attack('not-yet-valid')).nbf)).toBeGreaterThan(now + 3000);
  });

  it('claim attacks change exactly the claim they name', () => {
    expect(decodePayload(attack('missing-exp'))).not.toHaveProperty('exp');
    expect(decodePayload(attack('missing-iss'))).not.toHaveProperty('iss');
    expect(decodePayload(attack('exp-not-a-number')).exp).toBe('never');
    expect(decodePayload(attack('issuer-tenant-template-literal')).iss).toBe('https://login.microsoftonline.com/{tenantid}/v2.0');
    const mixed = decodePayload(attack('issuer-tenant-differs-from-tid'));
    expect(mixed.iss).toContain(entra.tenantId);
    expect(mixed.tid).not.toBe(entra.tenantId);
    const empty = decodePayload(attack('no-scope-or-role'));
    expect(empty).not.toHaveProperty('scp');
    expect(empty).not.toHaveProperty('roles');
  });

  it('signature-pad-bits-set is a valid token whose signature is spelled differently', async () => {
    const [header, payload, altered = ''] = attack('signature-pad-bits-set').split('.');
    const bytes = Buffer.from(altered, 'base64url'); // lenient: ignores the set bits
    const canonical = bytes.toString('base64url');
    expect(bytes).toHaveLength(256);
    expect(altered).not.toBe(canonical);
    expect(altered.slice(0, -1)).toBe(canonical.slice(0, -1));
    await expect(verifyWithJose(entra, `${header}.${payload}.${canonical}`)).resolves.toBeDefined();
  });

  it('structural attacks are broken the way they say', () => {
    expect(attack('two-segments').split('.')).toHaveLength(2);
    expect(attack('four-segments').split('.')).toHaveLength(4);
    expect(attack('bad-base64url')).toMatch(/[+=]/);
    expect(Array.isArray(decodePayload(attack('payload-json-array')))).toBe(true);
    expect(() => decodeHeader(attack('header-not-json'))).toThrow(SyntaxError);
    expect(attack('oversized').length).toBeGreaterThan(40 * 1024);
    expect(decodeHeader(attack('crit-unknown-header')).crit).toEqual(['urn:example:must-understand']);
    expect(decodeHeader(attack('b64-false'))).toMatchObject({ b64: false, crit: ['b64'] });
  });

  it('targets the tenant, audience and scopes given', async () => {
    const tenantId = crypto.randomUUID();
    const aimed = await entra.attackTokens({ tenantId, audience: 'api://target', scopes: ['X'] });
    const expired = decodePayload(aimed.find((a) => a.name === 'expired')!.token);
    expect(expired).toMatchObject({ tid: tenantId, aud: 'api://target', scp: 'X' });
  });
});
