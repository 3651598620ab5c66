import { beforeAll, describe, expect, it } from 'vitest';
import { createFakeEntra, PERSONAL_ACCOUNT_TENANT_ID, type AttackToken, type FakeEntra } from '../src/index.js';
import { decodeHeader, decodePayload, verifyWithJose } from './support/verify-with-jose.js';

let entra: FakeEntra;
let attacks: Map<string, AttackToken>;
const attack = (name: string): AttackToken => {
  const found = attacks.get(name);
  if (!found) throw new Error(`no attack token named ${name}`);
  return found;
};
const rawHeader = (token: string) => Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8');

beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read'] }] });
  attacks = new Map((await entra.attackTokens()).map((a) => [a.name, a]));
});

describe('hostile attack tokens', () => {
  it('nest crit and b64 10,000 deep, as raw JSON a parser must survive', () => {
    for (const name of ['crit-nested-deep', 'b64-nested-deep']) {
      const text = rawHeader(attack(name).token);
      expect(text).toContain('['.repeat(10_000));
      expect(attack(name).expectedCode).toBe('malformed_token');
    }
    let depth = 0;
    let value: unknown = decodeHeader(attack('crit-nested-deep').token).crit;
    while (Array.isArray(value)) [value, depth] = [value[0], depth + 1];
    expect(depth).toBe(10_000);
  });

  it('give crit and b64 the wrong types', () => {
    expect(decodeHeader(attack('crit-not-an-array').token).crit).toBe('b64');
    expect(decodeHeader(attack('crit-not-strings').token).crit).toEqual([1, { b64: false }]);
    expect(decodeHeader(attack('crit-empty').token).crit).toEqual([]);
    expect(decodeHeader(attack('b64-not-boolean').token)).toMatchObject({ b64: 'false', crit: ['b64'] });
  });

  it('aim a 12,000-slash audience at trailing-slash regexes, validly signed', async () => {
    const aud = String(decodePayload(attack('audience-slash-run').token).aud);
    expect(aud).toBe(`${'/'.repeat(12_000)}x`);
    await expect(verifyWithJose(entra, attack('audience-slash-run').token)).resolves.toBeDefined();
    expect(attack('audience-slash-run').expectedCode).toBe('audience_mismatch');
  });

  it('put CR, LF, ESC and a bidi override into kid, alg and iss', () => {
    for (const text of [decodeHeader(attack('kid-control-characters').token).kid, decodeHeader(attack('alg-control-characters').token).alg, decodePayload(attack('issuer-control-characters').token).iss]) {
      expect(String(text)).toMatch(/\r\n.*\u001b.*\u202e/s);
    }
    expect(attack('kid-control-characters').expectedCode).toBe('signing_key_not_found');
    expect(attack('alg-control-characters').expectedCode).toBe('algorithm_not_allowed');
    expect(attack('issuer-control-characters').expectedCode).toBe('signing_key_issuer_mismatch');
  });

  it('set exp and nbf outside the JS Date range, and exp negative', () => {
    expect(decodePayload(attack('exp-beyond-date-range').token).exp).toBe(1e300);
    expect(decodePayload(attack('exp-negative-beyond-date-range').token).exp).toBe(-1e300);
    expect(decodePayload(attack('nbf-beyond-date-range').token).nbf).toBe(1e300);
    expect(decodePayload(attack('nbf-negative-beyond-date-range').token).nbf).toBe(-1e300);
    expect(Number.isNaN(new Date(1e300 * 1000).getTime())).toBe(true);
    expect(decodePayload(attack('exp-negative').token).exp).toBe(-1);
    expect(attack('exp-negative').expectedCode).toBe('token_expired');
  });

  it('send a validly signed ID token whose audience is the API (shared registration)', async () => {
    const { token, expectedCode } = attack('id-token-same-registration');
    const payload = decodePayload(token);
    expect(payload.aud).toBe(entra.api.appId);
    expect(payload).toHaveProperty('nonce');
    for (const claim of ['azp', 'appid', 'scp', 'roles']) expect(payload).not.toHaveProperty(claim);
    expect(expectedCode).toBe('not_access_token');
    await expect(verifyWithJose(entra, token)).resolves.toBeDefined();
  });

  it('send a personal-account token signed by the personal-account key, which only common publishes', async () => {
    const { token, expectedCode } = attack('personal-account');
    expect(decodePayload(token).tid).toBe(PERSONAL_ACCOUNT_TENANT_ID);
    expect(decodeHeader(token).kid).toBe((await entra.keys.personal()).kid);
    expect(expectedCode).toBe('signing_key_not_found');
    await verifyWithJose(entra, token, { jwksUri: entra.jwksUri('common') });
    await expect(verifyWithJose(entra, token, { jwksUri: entra.jwksUri('organizations') })).rejects.toThrow();
  });

  it('send a personal-account token under a key every tenant publishes, for the tenant policy to refuse', async () => {
    const { token, expectedCode } = attack('personal-account-shared-key');
    expect(decodePayload(token)).toMatchObject({ tid: PERSONAL_ACCOUNT_TENANT_ID, iss: `https://login.microsoftonline.com/${PERSONAL_ACCOUNT_TENANT_ID}/v2.0` });
    expect(expectedCode).toBe('tenant_not_allowed');
    await verifyWithJose(entra, token, { jwksUri: entra.jwksUri('organizations') });
  });

  it('carry huge roles and groups arrays and stay under the 32 KiB size cap', () => {
    const roles = decodePayload(attack('roles-huge-array').token).roles as unknown[];
    expect(roles).toHaveLength(5_000);
    expect(roles.at(-1)).toBe(1);
    expect(decodePayload(attack('groups-huge-array').token).groups).toHaveLength(5_000);
    for (const name of ['roles-huge-array', 'groups-huge-array']) expect(attack(name).token.length).toBeLessThan(32 * 1024);
  });

  it('give every registered claim a value of every wrong JSON type, validly signed', async () => {
    const typed = [...attacks.values()].filter((a) => a.name.startsWith('claim-type-'));
    expect(typed.length).toBeGreaterThanOrEqual(55);
    expect(decodePayload(attack('claim-type-exp-string').token).exp).toBe('x');
    expect(decodePayload(attack('claim-type-tid-null').token).tid).toBeNull();
    expect(decodePayload(attack('claim-type-roles-object').token).roles).toEqual({ x: 1 });
    expect(attacks.has('claim-type-aud-array')).toBe(false); // an array aud is legal (RFC 7519 §4.1.3)
    for (const a of typed) expect(a.expectedCode, a.name).toBe('malformed_token');
    await expect(verifyWithJose(entra, attack('claim-type-scp-number').token)).resolves.toBeDefined();
  });

  it('stay signed tokens even when the target API encrypts its tokens', async () => {
    const encrypting = await createFakeEntra({ apis: [{ tokenEncryption: true }] });
    for (const a of await encrypting.attackTokens()) expect(a.token.split('.').length, a.name).toBeLessThanOrEqual(4);
  });
});
