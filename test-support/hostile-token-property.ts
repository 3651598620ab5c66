// Hostile tokens for property tests: real base64url JWTs whose header members and claims hold what
// a forger can write without any key (or, to reach the rules after the signature, what a testkit
// key signs): nesting 10,000 deep, arrays of 10,000 entries, 12,000 "/" then "x", control and
// bidi characters, non-Latin-1 text, and values of every JSON type. Values are built as JSON
// text, never as objects: a 10,000-deep value would overflow this module's own JSON.stringify.
import fc from 'fast-check';

/** Header members a verifier reads or must refuse (RFC 7515 §4.1, Entra's x5t and nonce). */
export const HEADER_MEMBERS = ['alg', 'kid', 'x5t', 'typ', 'crit', 'b64', 'jku', 'jwk', 'x5u', 'x5c', 'cty', 'nonce', 'enc', 'zip'] as const;

/** The claims core gives meaning to, each of which a hostile token may fill with anything. */
export const REGISTERED_CLAIMS = ['iss', 'aud', 'tid', 'exp', 'nbf', 'iat', 'scp', 'roles', 'azp', 'appid', 'oid', 'sub', 'ver', 'idtyp', 'nonce', 'acrs', 'cnf'] as const;

/**
 * Characters that must never reach a hint, a description, an event, a response or a terminal
 * unescaped: C0 controls, DEL, C1 controls, line and paragraph separators, bidi marks, embeddings,
 * overrides and isolates, and the BOM (the set core's escapeControls writes as \uXXXX).
 */
export const UNSAFE_OUTPUT = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;

/** Where `text` holds an unsafe character, as "U+001B at 12: …context…", or undefined. */
export function unsafeCharacterIn(text: string): string | undefined {
  const match = UNSAFE_OUTPUT.exec(text);
  if (!match) return undefined;
  const at = match.index;
  const code = text.charCodeAt(at).toString(16).padStart(4, '0').toUpperCase();
  return `U+${code} at ${at}: ${JSON.stringify(text.slice(Math.max(0, at - 60), at + 20))}`;
}

/** Fails with the place of the first unsafe character in any of the texts, labelled by `where`. */
export function assertPrintable(where: string, ...texts: Array<string | undefined | null>): void {
  for (const text of texts) {
    if (typeof text !== 'string') continue;
    const found = unsafeCharacterIn(text);
    if (found) throw new Error(`unescaped control character in ${where}: ${found}`);
  }
}

/** A hostile value as JSON text, with a short label (fast-check prints the label, not 20 KB). */
export interface HostileValue {
  label: string;
  json: string;
}

const value = (label: string, json: string): HostileValue => ({ label, json, [fc.toStringMethod]: () => label }) as HostileValue;

/** The characters forgers use to write fake log lines, move the cursor or reverse text. */
export const CONTROL_CHARACTERS = ['\r', '\n', '\u001b', '\u0000', '\t', '\u0007', '\u0008', '\u007f', '\u0080', '\u0085', '\u009b', '\u009f', '\u2028', '\u2029', '\u202e', '\u202d', '\u2066', '\u200f', '\ufeff'];
const NON_LATIN1 = ['é', 'ü', '€', 'Ж', '中', '𝄞', '😀', '\ud800', '\udfff', 'ﬁ', 'İ'];

const controlText = fc
  .array(fc.constantFrom(...CONTROL_CHARACTERS, ...NON_LATIN1, 'a', '"', '\\', '/', ' ', '\r\n2026-11-22T00:00:00Z INFO token accepted ', '\u001b[2J\u001b[32mAccepted\u001b[0m'), { minLength: 1, maxLength: 40 })
  .map((parts) => parts.join(''));

/** Depths of nesting: shallow, deep, and the 10,000 of the review. */
const depth = fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1000, max: 10_000 }), fc.constant(10_000));

const nested = fc.record({ depth, kind: fc.constantFrom('array', 'object', 'mixed'), leaf: fc.constantFrom('"x"', '1', 'null', '[]', '{}', '"\\u001b[31m"') }).map(({ depth: d, kind, leaf }) => {
  if (kind === 'array') return value(`array nested ${d} deep`, `${'['.repeat(d)}${leaf}${']'.repeat(d)}`);
  if (kind === 'object') return value(`object nested ${d} deep`, `${'{"a":'.repeat(d)}${leaf}${'}'.repeat(d)}`);
  return value(`arrays and objects nested ${d} deep`, `${'[{"a":'.repeat(Math.ceil(d / 2))}${leaf}${'}]'.repeat(Math.ceil(d / 2))}`);
});

const hugeArray = fc
  .record({ count: fc.oneof(fc.constant(10_000), fc.integer({ min: 100, max: 10_000 })), item: fc.constantFrom('"a"', '""', '"Data.Read"', '0', 'null', '{}', '[]', '"\\u001b"', '"/"') })
  .map(({ count, item }) => value(`array of ${count} × ${item}`, `[${Array.from({ length: count }, () => item).join(',')}]`));

/** 12,000 "/" then "x": what made /\/+$/ quadratic. Also other single characters, in URL shapes. */
const longRun = fc
  .record({
    char: fc.constantFrom('/', '/', 'a', ' ', '.', ':', '\\', '=', '\u0000', '\u001b', '\u202e', 'é', '€', '𝄞'),
    count: fc.oneof(fc.constant(12_000), fc.integer({ min: 1, max: 12_000 })),
    prefix: fc.constantFrom('', 'https://', 'api://', 'https://login.microsoftonline.com/', 'https://sts.windows.net/'),
    tail: fc.constantFrom('x', '', '/', 'v2.0', '\n'),
    inArray: fc.boolean(),
  })
  .map(({ char, count, prefix, tail, inArray }) => {
    const text = JSON.stringify(prefix + char.repeat(count) + tail);
    return value(`${inArray ? '[' : ''}"${prefix}" + ${count} × ${JSON.stringify(char)} + ${JSON.stringify(tail)}${inArray ? ']' : ''}`, inArray ? `[${text}]` : text);
  });

const controls = fc.oneof(
  controlText.map((text) => value(`control text ${JSON.stringify(text).slice(0, 60)}`, JSON.stringify(text))),
  controlText.map((text) => value(`[control text ${JSON.stringify(text).slice(0, 60)}]`, JSON.stringify([text, text]))),
  fc.string({ unit: 'binary', maxLength: 60 }).map((text) => value(`any code points ${JSON.stringify(text).slice(0, 60)}`, JSON.stringify(text))),
  fc.string({ unit: 'grapheme', maxLength: 30 }).map((text) => value(`graphemes ${JSON.stringify(text).slice(0, 60)}`, JSON.stringify(text))),
);

/** Numbers a Date cannot hold, that JSON.parse turns into Infinity, or that compare oddly. */
const oddNumber = fc
  .constantFrom('1e20', '-1e20', '8.64e12', '8640000000001', '-8640000000001', '1.7976931348623157e308', '1e400', '-1e400', '-0', '0', '5e-324', '9007199254740993', '1e-7', '-1')
  .map((text) => value(`number ${text}`, text));

/** Values of every JSON type, as fast-check makes them. */
const anyJson = fc.jsonValue({ maxDepth: 4 }).map((v) => value(`JSON ${JSON.stringify(v)?.slice(0, 60) ?? 'undefined'}`, JSON.stringify(v) ?? 'null'));

const simple = fc.constantFrom('null', 'true', 'false', '0', '""', '[]', '{}', '[""]', '[null]', '[1]', '{"x5t#S256":[]}', '{"jkt":"a"}', '"none"', '"HS256"', '"RS256"', '"ES256"').map((json) => value(json, json));

/** Any hostile value. */
export const hostileValue: fc.Arbitrary<HostileValue> = fc.oneof(
  { arbitrary: nested, weight: 3 },
  { arbitrary: hugeArray, weight: 2 },
  { arbitrary: longRun, weight: 3 },
  { arbitrary: controls, weight: 3 },
  { arbitrary: oddNumber, weight: 1 },
  { arbitrary: anyJson, weight: 2 },
  { arbitrary: simple, weight: 1 },
);

/** One place a hostile value goes. */
export interface Placement {
  where: 'header' | 'claims';
  name: string;
  value: HostileValue;
}

const placement: fc.Arbitrary<Placement> = fc.oneof(
  fc.record({ where: fc.constant('header' as const), name: fc.constantFrom(...HEADER_MEMBERS), value: hostileValue }),
  fc.record({ where: fc.constant('claims' as const), name: fc.constantFrom(...REGISTERED_CLAIMS), value: hostileValue }),
);

/** How the token is signed: random bytes (no key at all), a valid testkit signature, or odd shapes. */
export type Signing = 'bogus' | 'testkit' | 'empty' | 'huge';

/** What a hostile token is made of; fast-check prints it compactly. */
export interface HostileTokenSpec {
  placements: Placement[];
  signing: Signing;
}

/** One to three hostile values in header members and claims, and how the token is signed. */
export const hostileTokenSpec: fc.Arbitrary<HostileTokenSpec> = fc
  .record({
    placements: fc.uniqueArray(placement, { minLength: 1, maxLength: 3, selector: (p) => `${p.where}.${p.name}` }),
    signing: fc.constantFrom<Signing>('bogus', 'testkit', 'testkit', 'empty', 'huge'),
  })
  .map((spec) => Object.assign(spec, { [fc.toStringMethod]: () => `${spec.signing}-signed, ${spec.placements.map((p) => `${p.where}.${p.name} = ${p.value.label}`).join('; ')}` }));

/** What a hostile token is built on: a real token's header and claims, and the key that signed it. */
export interface HostileTokenBase {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  /** An RS256 private key (a testkit key: `entra.keys.current.privateKey`). */
  privateKey: CryptoKey;
}

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** `base` as JSON text with each placed member set to its hostile JSON text (written last, so it wins). */
function objectText(base: Record<string, unknown>, placed: Placement[]): string {
  const rest = { ...base };
  for (const p of placed) delete rest[p.name];
  const members = placed.map((p) => `${JSON.stringify(p.name)}:${p.value.json}`);
  const text = JSON.stringify(rest);
  return members.length === 0 ? text : `${text.slice(0, -1)}${text.length > 2 ? ',' : ''}${members.join(',')}}`;
}

/** The header and payload segments of a hostile token (base64url of the JSON text). */
export function hostileSegments(base: HostileTokenBase, spec: HostileTokenSpec): { header: string; payload: string } {
  const header = base64url(encoder.encode(objectText(base.header, spec.placements.filter((p) => p.where === 'header'))));
  const payload = base64url(encoder.encode(objectText(base.claims, spec.placements.filter((p) => p.where === 'claims'))));
  return { header, payload };
}

/** RS256 over `header.payload` with the base's key (as Entra signs; here for tests only). */
export async function signRs256Input(input: string, privateKey: CryptoKey): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', privateKey, encoder.encode(input))));
}

/** A compact JWS made from a spec. */
export async function hostileToken(base: HostileTokenBase, spec: HostileTokenSpec): Promise<string> {
  const { header, payload } = hostileSegments(base, spec);
  const input = `${header}.${payload}`;
  switch (spec.signing) {
    case 'testkit':
      return `${input}.${await signRs256Input(input, base.privateKey)}`;
    case 'bogus':
      return `${input}.${base64url(crypto.getRandomValues(new Uint8Array(256)))}`;
    case 'empty':
      return `${input}.`;
    case 'huge':
      return `${input}.${'A'.repeat(4096)}`;
  }
}

/** The header and claims of a real token, to build hostile ones on. */
export function baseOf(token: string, privateKey: CryptoKey): HostileTokenBase {
  const decode = (segment: string) => JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(segment.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)))) as Record<string, unknown>;
  const [header = '', claims = ''] = token.split('.');
  return { header: decode(header), claims: decode(claims), privateKey };
}

/**
 * Hostile tokens a test must refuse by name: the review's inputs, each at a size the default
 * maxTokenBytes (32 KiB) lets through to the parser.
 */
export function namedHostileSpecs(): Array<[string, HostileTokenSpec]> {
  const at = (where: Placement['where'], name: string, label: string, json: string, signing: Signing = 'bogus'): HostileTokenSpec => ({ placements: [{ where, name, value: value(label, json) }], signing });
  const slashes = JSON.stringify(`${'/'.repeat(12_000)}x`);
  return [
    ['crit nested 10,000 arrays deep', at('header', 'crit', 'nested crit', `${'['.repeat(10_000)}${']'.repeat(10_000)}`)],
    ['b64 nested 10,000 arrays deep', at('header', 'b64', 'nested b64', `${'['.repeat(10_000)}${']'.repeat(10_000)}`)],
    ['kid of 12,000 "/" then "x"', at('header', 'kid', 'slashes', slashes)],
    ['aud of 12,000 "/" then "x" (signed)', at('claims', 'aud', 'slashes', slashes, 'testkit')],
    ['iss of 12,000 "/" then "x" (signed)', at('claims', 'iss', 'slashes', JSON.stringify(`https://${'/'.repeat(12_000)}x`), 'testkit')],
    ['kid with CR LF and ESC', at('header', 'kid', 'log injection', JSON.stringify('k\r\n2026-11-22 INFO accepted \u001b[2J\u202e'))],
    ['alg with ESC', at('header', 'alg', 'terminal injection', JSON.stringify('\u001b[32mRS256\u001b[0m\r\n'))],
    ['iss with CR LF (signed)', at('claims', 'iss', 'log injection', JSON.stringify('https://evil\r\nINFO accepted\u0085\u2028'), 'testkit')],
    ['roles of 10,000 nested arrays (signed)', at('claims', 'roles', 'nested roles', `[${'['.repeat(9_998)}${']'.repeat(9_998)}]`, 'testkit')],
    ['exp of 1e20 (signed)', at('claims', 'exp', 'far exp', '1e20', 'testkit')],
    ['nbf of 1e20 (signed)', at('claims', 'nbf', 'far nbf', '1e20', 'testkit')],
    ['exp of -1e20 (signed)', at('claims', 'exp', 'far past exp', '-1e20', 'testkit')],
    ['cnf nested 3,500 objects deep (signed)', at('claims', 'cnf', 'nested cnf', `${'{"a":'.repeat(3_500)}1${'}'.repeat(3_500)}`, 'testkit')],
  ];
}

/** Hostile tokens sent to an adapter per framework over real HTTP (~5 ms each on a 2-core machine). */
export const HOSTILE_HTTP_RUNS = 80;

/** What an adapter answered over HTTP. */
export interface HttpAnswer {
  status: number;
  wwwAuthenticate: string | null;
  body: string;
}

/** Reads what `fetch` got back, for {@link assertHostileRequestsAnswered}. */
export async function httpAnswer(response: Response): Promise<HttpAnswer> {
  return { status: response.status, wwwAuthenticate: response.headers.get('www-authenticate'), body: await response.text() };
}

/**
 * Sends `runs` hostile tokens through `send` (which picks a route by `variant` and returns the
 * answer): every answer is 200 (a validly signed token), 401 or 403, never a 500; the challenge
 * and each line of the body hold no control character, and the body no stack frame. Returns the statuses seen.
 */
export async function assertHostileRequestsAnswered(label: string, base: HostileTokenBase, send: (authorization: string, variant: number) => Promise<HttpAnswer>, runs = HOSTILE_HTTP_RUNS, variants = 1): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(hostileTokenSpec, fc.nat({ max: variants - 1 }), async (spec, variant) => {
      const answer = await send(`Bearer ${await hostileToken(base, spec)}`, variant);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (![200, 401, 403].includes(answer.status)) throw new Error(`answered ${answer.status}: ${answer.body.slice(0, 300)}`);
      if (answer.status === 200 && spec.signing !== 'testkit') throw new Error('accepted a token with a forged signature');
      assertPrintable('the WWW-Authenticate header', answer.wwwAuthenticate);
      // Line by line: a framework's own error page (Express's HTML) has line breaks of its own.
      assertPrintable('a line of the response body', ...answer.body.split('\n'));
      if (answer.body.includes('    at ')) throw new Error(`the body shows a stack trace: ${answer.body.slice(0, 300)}`);
      if (answer.body.startsWith('{')) {
        const body = JSON.parse(answer.body) as Record<string, unknown>;
        for (const text of Object.values(body)) if (typeof text === 'string') assertPrintable('a JSON body member', text);
      }
    }),
    { numRuns: runs },
  );
  console.log(`property: ${runs} hostile tokens on ${label} answered with ${[...statuses].sort((a, b) => a[0] - b[0]).map(([status, n]) => `${status} × ${n}`).join(', ')}`);
  return statuses;
}

/** Records unhandled rejections from now until `stop()`, which returns them. */
export function recordUnhandledRejections(): { reasons: unknown[]; stop(): unknown[] } {
  const reasons: unknown[] = [];
  const listener = (reason: unknown) => void reasons.push(reason);
  const processLike = (globalThis as { process?: { on(event: string, listener: (reason: unknown) => void): void; off(event: string, listener: (reason: unknown) => void): void } }).process;
  processLike?.on('unhandledRejection', listener);
  return {
    reasons,
    stop() {
      processLike?.off('unhandledRejection', listener);
      return reasons;
    },
  };
}
