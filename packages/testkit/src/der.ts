// A minimal DER encoder: just enough ASN.1 to write an X.509 certificate for the fake's keys.

export type Der = Uint8Array<ArrayBuffer>;

function concatBytes(parts: readonly Uint8Array[]): Der {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

export function tagged(tag: number, ...content: readonly Uint8Array[]): Der {
  const body = concatBytes(content);
  return concatBytes([Uint8Array.of(tag), encodeLength(body.length), body]);
}

export const sequence = (...items: Der[]): Der => tagged(0x30, ...items);
export const set = (...items: Der[]): Der => tagged(0x31, ...items);
export const nullValue = (): Der => Uint8Array.of(0x05, 0x00);
export const explicit = (index: number, item: Der): Der => tagged(0xa0 + index, item);
export const utf8String = (text: string): Der => tagged(0x0c, new TextEncoder().encode(text));
/** A BIT STRING with no unused bits, as signatures and keys are written. */
export const bitString = (bytes: Uint8Array): Der => tagged(0x03, Uint8Array.of(0), bytes);

/** A non-negative INTEGER from big-endian bytes (a leading zero keeps it positive). */
export function unsignedInteger(bytes: Uint8Array): Der {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  const needsPad = (trimmed[0] ?? 0) & 0x80;
  return tagged(0x02, needsPad ? Uint8Array.of(0) : new Uint8Array(0), trimmed);
}

export function objectIdentifier(dotted: string): Der {
  const arcs = dotted.split('.').map(Number);
  const [first = 0, second = 0, ...rest] = arcs;
  const bytes: number[] = [first * 40 + second];
  for (const arc of rest) {
    const chunk: number[] = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) {
      chunk.unshift((value & 0x7f) | 0x80);
    }
    bytes.push(...chunk);
  }
  return tagged(0x06, Uint8Array.from(bytes));
}

/** UTCTime (YYMMDDHHMMSSZ), valid for years 1950 to 2049 as RFC 5280 requires. */
export function utcTime(date: Date): Der {
  const two = (n: number) => String(n).padStart(2, '0');
  const text =
    two(date.getUTCFullYear() % 100) +
    two(date.getUTCMonth() + 1) +
    two(date.getUTCDate()) +
    two(date.getUTCHours()) +
    two(date.getUTCMinutes()) +
    two(date.getUTCSeconds()) +
    'Z';
  return tagged(0x17, new TextEncoder().encode(text));
}
