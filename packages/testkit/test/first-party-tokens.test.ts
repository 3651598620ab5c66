import { createHash, createVerify } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFakeEntra, GRAPH_APP_ID, type FakeEntra } from '../src/index.js';
import { decodeHeader, decodePayload, verifyWithJose } from './support/verify-with-jose.js';

let entra: FakeEntra;
beforeAll(async () => {
  entra = await createFakeEntra();
});

/** Verify RS256 over an explicit signing input with the fake's current public key. */
async function verifiesOver(signingInput: string, signature: string): Promise<boolean> {
  const pem = Buffer.from(await crypto.subtle.exportKey('spki', entra.keys.current.publicKey)).toString('base64');
  const verifier = createVerify('RSA-SHA256').update(signingInput);
  return verifier.verify(`-----BEGIN PUBLIC KEY-----\n${pem}\n-----END PUBLIC KEY-----\n`, Buffer.from(signature, 'base64url'));
}

describe('first-party tokens (Graph and others)', () => {
  it('Graph: aud is Graph, the header carries a plain nonce, and the signature fails over the token as sent', async () => {
    const token = await entra.mintGraphToken();
    const header = decodeHeader(token);
    expect(decodePayload(token).aud).toBe(GRAPH_APP_ID);
    expect(Object.keys(header)).toEqual(['typ', 'nonce', 'alg', 'x5t', 'kid']);
    expect(String(header.nonce)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect(verifyWithJose(entra, token, { audience: GRAPH_APP_ID })).rejects.toThrow(/signature/);
    const [h, p, s] = token.split('.') as [string, string, string];
    expect(await verifiesOver(`${h}.${p}`, s)).toBe(false);
  });

  it('verifies over the header whose nonce is replaced by base64url(SHA-256(nonce))', async () => {
    const token = await entra.mintGraphToken();
    const [, p, s] = token.split('.') as [string, string, string];
    const header = decodeHeader(token);
    const hashed = createHash('sha256').update(String(header.nonce)).digest('base64url');
    const signedHeader = Buffer.from(JSON.stringify({ ...header, nonce: hashed })).toString('base64url');
    expect(await verifiesOver(`${signedHeader}.${p}`, s)).toBe(true);
  });

  it.each(['https://api.spaces.skype.com', 'https://management.azure.com/'])('other first-party audiences (%s) carry the same header nonce', async (audience) => {
    const token = await entra.mintFirstPartyToken({ audience, scopes: ['user_impersonation'] });
    expect(decodePayload(token)).toMatchObject({ aud: audience, scp: 'user_impersonation', ver: '1.0' });
    const [, p, s] = token.split('.') as [string, string, string];
    const header = decodeHeader(token);
    const hashed = createHash('sha256').update(String(header.nonce)).digest('base64url');
    expect(await verifiesOver(`${Buffer.from(JSON.stringify({ ...header, nonce: hashed })).toString('base64url')}.${p}`, s)).toBe(true);
  });
});
