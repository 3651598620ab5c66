import { X509Certificate, createHash, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createFakeEntra, type PublishedJwk } from '../src/index.js';
import { decodeHeader, fetchJson, verifyWithJose } from './support/verify-with-jose.js';

const publishedKids = async (entra: Awaited<ReturnType<typeof createFakeEntra>>) =>
  (await fetchJson<{ keys: PublishedJwk[] }>(entra, entra.jwksUri())).keys.map((k) => k.kid);

describe('key lifecycle', () => {
  it('rotate() signs with a new key and keeps publishing the old one', async () => {
    const entra = await createFakeEntra();
    const old = entra.keys.current;
    const fresh = await entra.rotate();
    expect(fresh.kid).not.toBe(old.kid);
    expect(await publishedKids(entra)).toEqual([old.kid, fresh.kid]);
    expect(decodeHeader(await entra.mint()).kid).toBe(fresh.kid);
    await verifyWithJose(entra, await entra.mint({ kid: old.kid }));
  });

  it('retire(kid) stops publishing a key, and tokens it signs stop verifying', async () => {
    const entra = await createFakeEntra();
    const old = entra.keys.current;
    await entra.rotate();
    entra.retire(old.kid);
    expect(await publishedKids(entra)).toEqual([entra.keys.current.kid]);
    const token = await entra.mint({ kid: old.kid });
    expect(decodeHeader(token).kid).toBe(old.kid);
    await expect(verifyWithJose(entra, token)).rejects.toThrow(/no applicable key/i);
  });

  it('refuses to retire the signing key or a key it does not publish', async () => {
    const entra = await createFakeEntra();
    expect(() => entra.retire(entra.keys.current.kid)).toThrow(/rotate\(\) first/);
    expect(() => entra.retire('nope')).toThrow(/does not publish/);
  });

  it('signs with an unpublished key on request', async () => {
    const entra = await createFakeEntra();
    const rogue = await entra.createUnpublishedKey();
    const token = await entra.mint({ signingKey: rogue });
    expect(decodeHeader(token).kid).toBe(rogue.kid);
    expect(await publishedKids(entra)).not.toContain(rogue.kid);
  });
});

describe('x5c certificates', () => {
  it('are real self-signed X.509 certificates for the published key, and x5t is their SHA-1 thumbprint', async () => {
    const entra = await createFakeEntra();
    const [jwk] = (await fetchJson<{ keys: PublishedJwk[] }>(entra, entra.jwksUri())).keys;
    const der = Buffer.from(jwk!.x5c[0]!, 'base64');
    const certificate = new X509Certificate(der);
    expect(certificate.subject).toBe('CN=accounts.accesscontrol.windows.net');
    expect(certificate.checkIssued(certificate)).toBe(true);
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    // Same key as published: compared as SPKI DER (workerd's node:crypto exports X.509 keys only so).
    const published = createPublicKey({ key: { kty: 'RSA', n: jwk!.n, e: jwk!.e }, format: 'jwk' });
    expect(certificate.publicKey.export({ format: 'der', type: 'spki' })).toEqual(published.export({ format: 'der', type: 'spki' }));
    expect(createHash('sha1').update(der).digest('base64url')).toBe(jwk!.x5t);
    expect(new Date(certificate.validTo).getTime()).toBeGreaterThan(Date.now());
  });
});
