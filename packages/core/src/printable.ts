// Token-derived text shown to people: every value an attacker wrote (kid, alg, iss, aud, …) goes
// through here before it reaches a hint, an event or a terminal. Control characters would let a
// forged token write fake log lines (CR, LF), clear a terminal or paint a fake "Accepted" (ESC),
// and bidirectional overrides would make a value read differently than it is; so all of them are
// written as \uXXXX escapes. One pass, one character class: linear in the length.

/** C0 and C1 controls, DEL, line and paragraph separators, bidi marks and overrides, BOM. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const escapeOne = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** The same characters but line feeds, for multi-line text whose line breaks are its own (JSON output). */
const UNSAFE_BUT_LINE_FEED = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/**
 * `text` with every unsafe character written as a `\uXXXX` escape. With `keepLineFeeds`, `\n`
 * stays (for output whose line breaks are the writer's, such as indented JSON, in which
 * JSON.stringify has already escaped the line feeds inside strings).
 */
export function escapeControls(text: string, keepLineFeeds = false): string {
  return text.replace(keepLineFeeds ? UNSAFE_BUT_LINE_FEED : UNSAFE, escapeOne);
}

/**
 * An untrusted value for a hint: strings quoted, cut to `max` characters and escaped; anything
 * else named by its JSON type, never serialized (a deeply nested value would overflow the stack).
 */
export function shown(value: unknown, max = 80): string {
  if (typeof value === 'string') {
    const cut = value.length > max ? `${value.slice(0, max)}…` : value;
    return `"${escapeControls(cut).replace(/["\\]/g, (c) => `\\${c}`)}"`;
  }
  return typeName(value);
}

/** The JSON type of an untrusted value, for "must be a string, got an array". */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean') return `the ${typeof value} ${String(value)}`;
  return typeof value;
}
