// The memo of parsed headers: bounded, filled by the verifier only with verified tokens' headers,
// emptied of a key that is gone.
import { createFakeEntra } from '@entra-verify/testkit';
import { describe, expect, it } from 'vitest';
import { HeaderMemo } from '../src/token/header-memo.js';
import { parseToken } from '../src/token/parse-token.js';
import { backends, countingBackend, rejection, verifierFactory } from './support/backends.js';

describe('HeaderMemo', () => {
  it('keeps at most its capacity, oldest out first, and freezes what it keeps', () => {
    const memo = new HeaderMemo(2);
    memo.remember('a', { alg: 'RS256', kid: '1' }, '1');
    memo.remember('b', { alg: 'RS256', kid: '2' }, '2');
    memo.remember('c', { alg: 'RS256', kid: '2' }, '2');
    expect([memo.get('a'), memo.size]).toEqual([undefined, 2]);
    expect(Object.isFrozen(memo.get('b'))).toBe(true);
    memo.forgetKey('2');
    expect(memo.size).toBe(0);
  });

  it('is what parseToken reuses for the same header text, and only for it', () => {
    const backend = backends[0]![1];
    const header = { typ: 'JWT', alg: 'RS256', kid: 'k' };
    const text = Buffer.from(JSON.stringify(header)).toString('base64url');
    const memo = new HeaderMemo();
    const remembered = { ...header };
    memo.remember(text, remembered, 'k');
    expect(parseToken(`${text}.e30.c2ln`, 32_768, backend, memo).header).toBe(remembered);
    // A text equal to the remembered one but made separately (each request brings its own).
    expect(parseToken(`${['', text].join('')}.e30.c2ln`, 32_768, backend, memo).header).toBe(remembered);
    const other = Buffer.from(JSON.stringify({ ...header, kid: 'other' })).toString('base64url');
    expect(parseToken(`${other}.e30.c2ln`, 32_768, backend, memo).header).toEqual({ ...header, kid: 'other' });
  });
});

describe.each(backends)('the verifier\'s header memo (%s)', (_name, inner) => {
  it('changes no outcome: forged payloads under a verified header fail, a revoked key fails at once', async () => {
    const entra = await createFakeEntra();
    const backend = countingBackend(inner);
    const verifier = verifierFactory(backend)({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, resultCache: false });
    const token = await entra.mint();
    const auth = await verifier.verify(token);
    expect(Object.isFrozen(auth.header)).toBe(true);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, oid: 'someone-else' })).toString('base64url')}.${signature}`;
    expect((await rejection(verifier.verify(forged))).code).toBe('invalid_signature');
    expect((await verifier.verify(await entra.mint())).header).toBe(auth.header);
    verifier.revokeKey(auth.header.kid!);
    expect((await rejection(verifier.verify(token))).code).toBe('signing_key_not_found');
  });
});
