// The unsigned issuer, read in one pass without parsing the payload.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { peekIssuer } from '../src/token/peek-issuer.js';
import { issuerTemplate } from '../src/token/issuer.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('peekIssuer', () => {
  it('reads the top-level iss string and skips every other value', () => {
    expect(peekIssuer(bytes('{"aud":"x","iss":"https://login.microsoftonline.com/t/v2.0","roles":["a","}"],"n":{"iss":"no"}}'))).toBe('https://login.microsoftonline.com/t/v2.0');
    expect(peekIssuer(bytes(' { "iss" : "a\\/b\\u0041" } '))).toBe('a/bA');
    expect(peekIssuer(bytes('{"x":{"iss":"nested"}}'))).toBeUndefined();
    expect(peekIssuer(bytes('{"iss":1}'))).toBeUndefined();
    expect(peekIssuer(bytes('{"iss":"a","iss":"b"}'))).toBe('b');
    expect(peekIssuer(bytes('["iss","a"]'))).toBeUndefined();
    expect(peekIssuer(bytes('{"iss":"a"'))).toBeUndefined();
    expect(peekIssuer(bytes('{"\\u0069ss":"a"}'))).toBeUndefined();
  });

  it('agrees with JSON.parse on every object it reads', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.option(fc.string()), (rest, iss) => {
        const payload = iss === null ? rest : { ...rest, iss };
        const text = JSON.stringify(payload);
        const expected = (JSON.parse(text) as Record<string, unknown>).iss;
        expect(peekIssuer(bytes(text))).toBe(typeof expected === 'string' ? expected : undefined);
      }),
    );
  });

  it('is linear on hostile nesting (arrays 30,000 deep)', () => {
    const deep = `{"a":${'['.repeat(30_000)}${']'.repeat(30_000)},"iss":"x"}`;
    const started = performance.now();
    expect(peekIssuer(bytes(deep))).toBe('x');
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('issuerTemplate', () => {
  it('writes the tenant segment as {tenantid}', () => {
    expect(issuerTemplate('https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0')).toBe('https://login.microsoftonline.com/{tenantid}/v2.0');
    expect(issuerTemplate('https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/')).toBe('https://sts.windows.net/{tenantid}/');
    expect(issuerTemplate('https://sts.windows.net')).toBeUndefined();
    expect(issuerTemplate('not a url')).toBeUndefined();
  });
});
