// The unsigned `iss` of a payload, read without parsing it. A verifier with several authorities
// needs the issuer to choose whose rules and keys apply before the signature is checked, and
// claims are parsed only after the signature (parse-token.ts): so this reads one top-level string
// in one pass over the bytes, skipping every other value without building it. Nothing here is
// trusted: the issuer only selects a candidate, whose rules then check the parsed claims (its
// issuer rule included), so a payload this scanner reads differently from JSON.parse is refused.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

const decoder = new TextDecoder('utf-8', { fatal: true });

const isWhitespace = (byte: number | undefined) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

function skipWhitespace(bytes: Uint8Array, at: number): number {
  while (isWhitespace(bytes[at])) at++;
  return at;
}

/** The index of the quote that closes the string opened at `open`, or -1. */
function stringEnd(bytes: Uint8Array, open: number): number {
  for (let at = open + 1; at < bytes.length; at++) {
    const byte = bytes[at];
    if (byte === BACKSLASH) at++;
    else if (byte === QUOTE) return at;
  }
  return -1;
}

/** Past a value that is not a string: to the `,` or `}` that ends it at depth 0, or -1. */
function skipValue(bytes: Uint8Array, at: number): number {
  let depth = 0;
  for (; at < bytes.length; at++) {
    const byte = bytes[at];
    if (byte === QUOTE) {
      at = stringEnd(bytes, at);
      if (at === -1) return -1;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) depth++;
    else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      if (depth === 0) return at;
      depth--;
    } else if (byte === COMMA && depth === 0) return at;
  }
  return -1;
}

/** The string between the quotes at `open` and `close`; escapes are left to JSON.parse (linear). */
function stringValue(bytes: Uint8Array, open: number, close: number): string | undefined {
  try {
    const text = decoder.decode(bytes.subarray(open + 1, close));
    return text.includes('\\') ? (JSON.parse(`"${text}"`) as string) : text;
  } catch {
    return undefined;
  }
}

const isIssKey = (bytes: Uint8Array, start: number, end: number) => end - start === 3 && bytes[start] === 0x69 && bytes[start + 1] === 0x73 && bytes[start + 2] === 0x73;

/**
 * The top-level `"iss"` of a JSON object, when it is a string; undefined when it is absent, not
 * a string, or the bytes are not an object this scanner can walk. Like JSON.parse, the last of
 * duplicate keys wins. One pass, no recursion, no allocation but the issuer itself.
 */
export function peekIssuer(payload: Uint8Array): string | undefined {
  let at = skipWhitespace(payload, 0);
  if (payload[at] !== OPEN_OBJECT) return undefined;
  at = skipWhitespace(payload, at + 1);
  if (payload[at] === CLOSE_OBJECT) return undefined;
  let issuer: string | undefined;
  for (;;) {
    if (payload[at] !== QUOTE) return undefined;
    const keyEnd = stringEnd(payload, at);
    if (keyEnd === -1) return undefined;
    const isIss = isIssKey(payload, at + 1, keyEnd);
    at = skipWhitespace(payload, keyEnd + 1);
    if (payload[at] !== COLON) return undefined;
    at = skipWhitespace(payload, at + 1);
    if (payload[at] === QUOTE) {
      const valueEnd = stringEnd(payload, at);
      if (valueEnd === -1) return undefined;
      if (isIss) issuer = stringValue(payload, at, valueEnd);
      at = valueEnd + 1;
    } else {
      if (isIss) issuer = undefined;
      at = skipValue(payload, at);
      if (at === -1) return undefined;
    }
    at = skipWhitespace(payload, at);
    if (payload[at] === CLOSE_OBJECT) return issuer;
    if (payload[at] !== COMMA) return undefined;
    at = skipWhitespace(payload, at + 1);
  }
}
