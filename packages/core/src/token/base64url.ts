// A strict base64url decoder (RFC 4648 §5, no padding). Table-driven because atob is slow on
// Node and rejects nothing we care about: every character outside the alphabet is refused here.

/** The two byte helpers the parser needs from a signature backend (native on Node, portable elsewhere). */
export interface Base64UrlCodec {
  /** Strict base64url decoding (undefined for characters outside the alphabet): native on Node. */
  decodeBase64Url(segment: string): Uint8Array | undefined;
  /** Bytes of an ASCII string (the JWS signing input). */
  asciiBytes(text: string): Uint8Array;
}

const TABLE = new Int8Array(128).fill(-1);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
for (let i = 0; i < ALPHABET.length; i++) TABLE[ALPHABET.charCodeAt(i)] = i;

/**
 * The last character of a segment whose length is not a multiple of 4 carries bits no byte uses
 * (4 of them at length % 4 === 2, 2 at 3). RFC 4648 §3.5 lets a decoder refuse them when set, and
 * we do: otherwise `…w` and `…7` decode alike, and one signature has several spellings.
 */
export function hasZeroPadBits(input: string): boolean {
  const unused = input.length % 4 === 2 ? 0x0f : input.length % 4 === 3 ? 0x03 : 0;
  if (unused === 0) return true;
  const code = input.charCodeAt(input.length - 1);
  const value = code < 128 ? TABLE[code]! : -1;
  return value >= 0 && (value & unused) === 0;
}

/**
 * Bytes of a base64url string, or `undefined` if it holds other characters, has an impossible
 * length, or sets the unused bits of its last character (a non-canonical spelling).
 */
export function decodeBase64Url(input: string): Uint8Array<ArrayBuffer> | undefined {
  const length = input.length;
  if (length % 4 === 1 || !hasZeroPadBits(input)) return undefined;
  const out = new Uint8Array(Math.floor((length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let written = 0;
  for (let i = 0; i < length; i++) {
    const code = input.charCodeAt(i);
    const value = code < 128 ? TABLE[code]! : -1;
    if (value < 0) return undefined;
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[written++] = (buffer >> bits) & 0xff;
    }
  }
  return out;
}

/** ASCII text to bytes without TextEncoder's generality (a JWS signing input is always ASCII). */
export function asciiBytes(text: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}
