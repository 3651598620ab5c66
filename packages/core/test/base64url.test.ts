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
    for (const text of ['a+b', 'a/b', 'ab==', 'a', 'abcde', 'ab c', 'é', '\u0000', 'ab\ncd']) {
      expect(web.decodeBase64Url(text), text).toBeUndefined();
      expect(node.decodeBase64Url(text), text).toBeUndefined();
    }
  });
});
