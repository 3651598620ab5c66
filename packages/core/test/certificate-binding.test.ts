// Certificate-bound tokens (cnf x5t#S256, Entra's mTLS PoP, RFC 8705): accepted only with the
// client certificate they are bound to, on every call, result-cache hits included.
import { createHash, randomBytes } from 'node:crypto';
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { CompactEncrypt, exportJWK, generateKeyPair, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { certificateThumbprint, createRequestAuthenticator, EntraAuthError, peerCertificateOf, type DecryptionKey } from '../src/index.js';
import { backends, countingBackend, rejection, verifierFactory } from './support/backends.js';

let entra: FakeEntra;
/** Stand-ins for DER certificates: the binding hashes the bytes, it does not parse them. */
const certificate = new Uint8Array(randomBytes(700));
const otherCertificate = new Uint8Array(randomBytes(700));
/** RFC 8705 §3.1, computed independently of the code under test. */
const thumbprintOf = (der: Uint8Array) => createHash('sha256').update(der).digest('base64url');

beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read'] }] });
});

describe('certificateThumbprint', () => {
  it('is the base64url SHA-256 of the DER, without padding, for every length', async () => {
    for (const length of [0, 1, 2, 3, 31, 32, 33, 700]) {
      const der = new Uint8Array(randomBytes(length));
      expect(await certificateThumbprint(der)).toBe(thumbprintOf(der));
      expect(await certificateThumbprint(der.slice().buffer)).toBe(thumbprintOf(der));
    }
  });
});

describe('peerCertificateOf (what the adapters read from the socket)', () => {
  it('returns the DER of a TLS peer certificate, and nothing for plain, certificate-less or broken sockets', () => {
    const raw = Buffer.from(certificate);
    expect(peerCertificateOf({ getPeerCertificate: () => ({ raw, subject: {} }) })).toBe(raw);
    expect(peerCertificateOf({ getPeerCertificate: () => ({}) })).toBeUndefined();
    expect(peerCertificateOf({ getPeerCertificate: () => null })).toBeUndefined();
    expect(peerCertificateOf({ getPeerCertificate: () => ({ raw: 'not bytes' }) })).toBeUndefined();
    expect(peerCertificateOf({ getPeerCertificate: () => ({ raw: Buffer.alloc(0) }) })).toBeUndefined();
    expect(peerCertificateOf({ getPeerCertificate: () => { throw new Error('socket closed'); } })).toBeUndefined();
    expect(peerCertificateOf({ remoteAddress: '127.0.0.1' })).toBeUndefined();
    expect(peerCertificateOf(undefined)).toBeUndefined();
  });
});

describe.each(backends)('certificate-bound tokens (%s)', (_name, backend) => {
  const create = verifierFactory(backend);
  const options = () => ({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch });
  const bound = (der = certificate, extra: Record<string, unknown> = {}) => entra.mint({ scopes: ['Data.Read'], claims: { cnf: { 'x5t#S256': thumbprintOf(der), ...extra } } });

  it('leaves tokens without cnf alone, with or without a certificate', async () => {
    const verifier = create(options());
    await verifier.verify(await entra.mint());
    await verifier.verify(await entra.mint(), undefined, { clientCertificate: certificate });
  });

  it('accepts a bound token with the matching certificate, as DER bytes or as its thumbprint', async () => {
    const verifier = create(options());
    const token = await bound();
    const auth = await verifier.verify(token, { scopes: ['Data.Read'] }, { clientCertificate: certificate });
    expect(auth.claims.cnf).toEqual({ 'x5t#S256': thumbprintOf(certificate) });
    await verifier.verify(token, undefined, { clientCertificate: certificate.slice().buffer });
    await verifier.verify(token, undefined, { clientCertificate: { x5tS256: thumbprintOf(certificate) } });
  });

  it('refuses a bound token presented without a certificate: certificate_binding_required, 401 invalid_token', async () => {
    const verifier = create(options());
    for (const context of [undefined, {}, { clientCertificate: null }]) {
      const error = await rejection(verifier.verify(await bound(), undefined, context));
      expect(error).toBeInstanceOf(EntraAuthError);
      expect([error.code, error.status, error.oauthError]).toEqual(['certificate_binding_required', 401, 'invalid_token']);
      expect(error.hint).toContain('clientCertificate');
    }
  });

  it('refuses a bound token presented with another certificate: certificate_mismatch', async () => {
    const verifier = create(options());
    const token = await bound();
    const error = await rejection(verifier.verify(token, undefined, { clientCertificate: otherCertificate }));
    expect([error.code, error.status, error.oauthError]).toEqual(['certificate_mismatch', 401, 'invalid_token']);
    expect(error.hint).toContain(thumbprintOf(otherCertificate));
    // base64url is case-sensitive: a thumbprint that differs only in case is another certificate.
    const flipped = thumbprintOf(certificate).replace(/[a-z]/, (c) => c.toUpperCase());
    expect((await rejection(verifier.verify(token, undefined, { clientCertificate: { x5tS256: flipped } }))).code).toBe('certificate_mismatch');
  });

  it('checks the binding on every call, result-cache hits included', async () => {
    const counting = countingBackend(backend);
    const verifier = verifierFactory(counting)(options());
    const token = await bound();
    for (let i = 0; i < 4; i++) await verifier.verify(token, undefined, { clientCertificate: certificate });
    expect(counting.verifications).toBe(2);
    expect((await rejection(verifier.verify(token))).code).toBe('certificate_binding_required');
    expect((await rejection(verifier.verify(token, undefined, { clientCertificate: otherCertificate }))).code).toBe('certificate_mismatch');
    await verifier.verify(token, undefined, { clientCertificate: certificate });
    expect(counting.verifications).toBe(2);
  });

  it('refuses before the requirement: a 401 for the binding comes ahead of a 403 for a scope', async () => {
    const verifier = create(options());
    const error = await rejection(verifier.verify(await bound(), { scopes: ['Data.Write'] }));
    expect(error.code).toBe('certificate_binding_required');
  });

  it('fails closed on confirmation methods it cannot check (DPoP jkt, jwk) and on malformed cnf', async () => {
    const verifier = create(options());
    const jkt = await entra.mint({ claims: { cnf: { jkt: '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I' } } });
    const error = await rejection(verifier.verify(jkt, undefined, { clientCertificate: certificate }));
    expect([error.code, error.status]).toEqual(['unsupported_token_binding', 401]);
    expect(error.hint).toContain('"jkt"');
    expect((await rejection(verifier.verify(await bound(certificate, { jkt: 'x' }), undefined, { clientCertificate: certificate }))).code).toBe('unsupported_token_binding');
    expect((await rejection(verifier.verify(await entra.mint({ claims: { cnf: {} } }), undefined, { clientCertificate: certificate }))).code).toBe('unsupported_token_binding');
    for (const cnf of ['x5t', ['x5t#S256'], null, 42]) {
      const malformed = await rejection(verifier.verify(await entra.mint({ claims: { cnf } }), undefined, { clientCertificate: certificate }));
      expect(malformed.code, JSON.stringify(cnf)).toBe('malformed_token');
    }
    for (const value of ['short', 42, thumbprintOf(certificate) + 'A', 'A'.repeat(10_000)]) {
      const malformed = await rejection(verifier.verify(await entra.mint({ claims: { cnf: { 'x5t#S256': value } } }), undefined, { clientCertificate: certificate }));
      expect(malformed.code, String(value).slice(0, 20)).toBe('malformed_token');
    }
  });

  it('binds encrypted tokens too', async () => {
    const pair = await generateKeyPair('RSA-OAEP-256', { extractable: true });
    const privateJwk: JWK = await exportJWK(pair.privateKey);
    const verifier = create({ ...options(), decryptionKeys: [privateJwk as DecryptionKey] });
    const encrypted = await new CompactEncrypt(new TextEncoder().encode(await bound())).setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM' }).encrypt(pair.publicKey);
    await verifier.verify(encrypted, undefined, { clientCertificate: certificate });
    expect((await rejection(verifier.verify(encrypted))).code).toBe('certificate_binding_required');
  });

  it('reports the binding in diagnose() for bound tokens only', async () => {
    const verifier = create(options());
    const plain = await verifier.diagnose(await entra.mint());
    expect(plain.checks.some((c) => c.rule === 'certificate binding')).toBe(false);
    const unproven = await verifier.diagnose(await bound());
    expect(unproven.accepted).toBe(false);
    expect(unproven.checks.find((c) => c.rule === 'certificate binding')?.error?.code).toBe('certificate_binding_required');
    const proven = await verifier.diagnose(await bound(), undefined, { clientCertificate: certificate });
    expect(proven.accepted).toBe(true);
  });

  it('is passed through by the request authenticator the adapters share', async () => {
    const authenticator = createRequestAuthenticator({ verifier: create(options()) });
    const authorization = `Bearer ${await bound()}`;
    await authenticator.authenticate({ authorization, clientCertificate: certificate });
    const error = await rejection(authenticator.authenticate({ authorization }));
    expect(error.code).toBe('certificate_binding_required');
    expect(authenticator.respond(error).status).toBe(401);
  });
});
