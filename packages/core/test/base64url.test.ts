import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backends } from './support/backends.js';

const [[, node], [, web]] = backends as [[string, (typeof backends)[0][1]], [string, (typeof backends)[0][1]]];

describe('base64url decoding on both crypto paths', () => {
  it('decodes the same bytes as Node for valid input', () => {
    for (let length = 0; length < 64; length++) {
      const bytes = crypto.getRandomValues(new Uint8Array(length));
      const text = Buffer.from(bytes).toString('base64url');
      expect(Buffer.from(web.decodeBase64Url(text)!)).toEqual(Buffer.from(bytes));
      expect(Buffer.from(node.decodeBase64Url(text)!)).toEqual(Buffer.from(bytes));
    }
  });

  it('refuses non-canonical spellings: set pad bits in the last character', () => {
    // 'QQ' is the one byte 0x41; 'QR'…'QZ' differ only in the 4 unused bits. 'QUI' is two bytes
    // with 2 unused bits, which 'QUJ', 'QUK' and 'QUL' set.
    expect(Buffer.from(web.decodeBase64Url('QQ')!)).toEqual(Buffer.from('A'));
    expect(Buffer.from(node.decodeBase64Url('QUI')!)).toEqual(Buffer.from('AB'));
    for (const text of ['QR', 'QZ', 'Qf', 'QUJ', 'QUK', 'QUL']) {
      expect(web.decodeBase64Url(text), text).toBeUndefined();
      expect(node.decodeBase64Url(text), text).toBeUndefined();
    }
  });

  it('refuses the same invalid input: other alphabets, padding, impossible lengths, non-ASCII', () => {
    // 'Ł' is U+0141: a decoder that read only its low byte would take it for 'A'.
    for (const text of ['a+b', 'a/b', 'ab==', 'a', 'abcde', 'ab c', 'é', '\u0000', 'ab\ncd', 'QUŁ', 'ŁŁŁŁ', 'QU\u0141', 'ab=c', 'abc=', '+/+/', 'QUI\u{1F600}']) {
      expect(web.decodeBase64Url(text), text).toBeUndefined();
      expect(node.decodeBase64Url(text), text).toBeUndefined();
    }
  });
});

describe('the Node path without a regex pass agrees with the table decoder', () => {
  // Mostly base64url, with the characters Buffer's decoder treats specially mixed in: base64's
  // + and /, padding, whitespace, controls, Latin-1, and characters whose low byte is a letter.
  const character = fc.oneof(
    { weight: 20, arbitrary: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_') },
    { weight: 1, arbitrary: fc.constantFrom('+', '/', '=', ' ', '\n', '\t', '\u0000', '.', '~', 'é', 'ÿ', '\u0141', '\u0161', '\u0441', '\u2028', '\uFEFF', '\u{1F600}') },
  );
  const text = fc.array(character, { maxLength: 80 }).map((characters) => characters.join(''));
  const RUNS = 5000;

  it(`decodes to the same bytes or refuses alike (${RUNS} generated strings)`, () => {
    fc.assert(
      fc.property(text, (input) => {
        const viaNode = node.decodeBase64Url(input);
        const viaTable = web.decodeBase64Url(input);
        expect(viaNode === undefined, input).toBe(viaTable === undefined);
        if (viaNode && viaTable) expect(Buffer.from(viaNode)).toEqual(Buffer.from(viaTable));
      }),
      { numRuns: RUNS },
    );
  });

  it('agrees on every valid encoding and every single-character corruption of one', () => {
    const bytes = crypto.getRandomValues(new Uint8Array(40));
    const valid = Buffer.from(bytes).toString('base64url');
    for (const replacement of ['+', '/', '=', ' ', 'é', '\u0141', '\u0000']) {
      for (let at = 0; at < valid.length; at++) {
        const corrupted = valid.slice(0, at) + replacement + valid.slice(at + 1);
        expect(node.decodeBase64Url(corrupted), corrupted).toBeUndefined();
        expect(web.decodeBase64Url(corrupted), corrupted).toBeUndefined();
      }
    }
  });
});
