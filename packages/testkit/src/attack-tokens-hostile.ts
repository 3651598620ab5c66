// Hostile shapes a keyless attacker can send (or, for the "validly signed" ones, obtain from Entra
// and alter nothing but what a client controls): parser bombs in the JOSE header, control and
// bidi characters aimed at logs, numbers outside the Date range, tokens of the wrong kind, and
// claims of every wrong JSON type. Each names the @entra-verify/core code that should answer it.
import type { AttackToken } from './attack-tokens.js';
import { encodeSegment, signRaw, signRs256, type JsonObject } from './jws.js';
import type { MintOptions } from './mint.js';
import type { FakeSigningKey } from './signing-key.js';

/** What the hostile catalogue needs from the fake; passed in so this file does not import it. */
export interface HostileInput {
  /** Mints a token aimed at the target (tenant, audience, version), never encrypted. */
  mint(options?: MintOptions): Promise<string>;
  /** Claims and header of a valid token for the target. */
  claims: JsonObject;
  header: JsonObject;
  /** The audience the target verifier accepts. */
  audience: string;
  /** A published signing key and a key the fake never published. */
  current: FakeSigningKey;
  foreign: FakeSigningKey;
}

type Entry = Omit<AttackToken, 'token'> & { token: Promise<string> | string };

const DEPTH = 10_000;
/** A JSON array nested DEPTH deep, written as text: JSON.stringify of it would overflow the stack. */
const nestedArrayText = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`;
/** CR, LF, ESC and the right-to-left override: what log injection and spoofed hints are made of. */
const CONTROL = 'a\r\nb\u001b[31mc\u202Ed';
/** Beyond the JS Date range (±8.64e15 ms = ±8.64e12 s): `new Date(x * 1000)` is Invalid Date. */
const BEYOND_DATE_RANGE = 1e300;

/** A header with one member spliced in as raw JSON text (for values JSON.stringify cannot write). */
function headerWithRaw(header: JsonObject, name: string, rawJson: string): string {
  const text = JSON.stringify(header);
  return encodeSegment(`${text.slice(0, -1)},${JSON.stringify(name)}:${rawJson}}`);
}

export function hostileAttackTokens(input: HostileInput): Entry[] {
  const { mint, claims, header, audience, current, foreign } = input;
  const payloadSegment = encodeSegment(claims);
  const signedHeader = (h: string) => signRaw(h, payloadSegment, current.privateKey);
  const isV1 = claims.ver === '1.0';
  const clientClaims = isV1 ? ['appid', 'appidacr'] : ['azp', 'azpacr'];
  return [
    {
      name: 'crit-nested-deep',
      reason: `crit is an array nested ${DEPTH} deep: a recursive validator overflows its stack`,
      expectedCode: 'malformed_token',
      token: signedHeader(headerWithRaw(header, 'crit', nestedArrayText)),
    },
    {
      name: 'b64-nested-deep',
      reason: `b64 is an array nested ${DEPTH} deep, listed in crit`,
      expectedCode: 'malformed_token',
      token: signedHeader(headerWithRaw({ ...header, crit: ['b64'] }, 'b64', nestedArrayText)),
    },
    {
      name: 'crit-not-an-array',
      reason: 'crit is the string "b64", not an array (RFC 7515 §4.1.11)',
      expectedCode: 'malformed_token',
      token: signedHeader(encodeSegment({ ...header, crit: 'b64' })),
    },
    {
      name: 'crit-not-strings',
      reason: 'crit is an array of numbers and objects, not of header names',
      expectedCode: 'malformed_token',
      token: signedHeader(encodeSegment({ ...header, crit: [1, { b64: false }] })),
    },
    {
      name: 'crit-empty',
      reason: 'crit is an empty array, which RFC 7515 §4.1.11 forbids',
      expectedCode: 'malformed_token',
      token: signedHeader(encodeSegment({ ...header, crit: [] })),
    },
    {
      name: 'b64-not-boolean',
      reason: 'b64 is the string "false" (listed in crit), not a boolean',
      expectedCode: 'malformed_token',
      token: signedHeader(encodeSegment({ ...header, b64: 'false', crit: ['b64'] })),
    },
    {
      name: 'audience-slash-run',
      reason: 'validly signed, aud is 12,000 "/" then "x": a backtracking trailing-slash regex stalls on it',
      expectedCode: 'audience_mismatch',
      token: mint({ audience: `${'/'.repeat(12_000)}x` }),
    },
    {
      name: 'kid-control-characters',
      reason: 'kid holds CR, LF, ESC and a right-to-left override, signed by a foreign key; hints and logs must not carry them raw',
      expectedCode: 'signing_key_not_found',
      token: signRs256({ ...header, kid: CONTROL, x5t: undefined }, claims, foreign.privateKey),
    },
    {
      name: 'alg-control-characters',
      reason: 'alg is "RS256" followed by CR, LF, ESC and a right-to-left override',
      expectedCode: 'algorithm_not_allowed',
      token: `${encodeSegment({ ...header, alg: `RS256${CONTROL}` })}.${payloadSegment}.`,
    },
    {
      name: 'issuer-control-characters',
      reason: 'validly signed, iss ends in CR, LF, ESC and a right-to-left override (the key is bound to the real issuer form)',
      expectedCode: 'signing_key_issuer_mismatch',
      token: mint({ claims: { iss: `${String(claims.iss)}${CONTROL}` } }),
    },
    {
      name: 'exp-beyond-date-range',
      reason: `validly signed, exp is ${BEYOND_DATE_RANGE}: outside the JS Date range, so a Date-based check sees Invalid Date (a NumericDate the verifier cannot represent is malformed)`,
      expectedCode: 'malformed_token',
      token: mint({ claims: { exp: BEYOND_DATE_RANGE } }),
    },
    {
      name: 'exp-negative-beyond-date-range',
      reason: `validly signed, exp is -${BEYOND_DATE_RANGE}`,
      expectedCode: 'malformed_token',
      token: mint({ claims: { exp: -BEYOND_DATE_RANGE } }),
    },
    {
      name: 'exp-negative',
      reason: 'validly signed, exp is -1: long expired, whatever the clock tolerance',
      expectedCode: 'token_expired',
      token: mint({ claims: { exp: -1 } }),
    },
    {
      name: 'nbf-beyond-date-range',
      reason: `validly signed, nbf is ${BEYOND_DATE_RANGE}`,
      expectedCode: 'malformed_token',
      token: mint({ claims: { nbf: BEYOND_DATE_RANGE } }),
    },
    {
      name: 'nbf-negative-beyond-date-range',
      reason: `validly signed, nbf is -${BEYOND_DATE_RANGE}`,
      expectedCode: 'malformed_token',
      token: mint({ claims: { nbf: -BEYOND_DATE_RANGE } }),
    },
    {
      name: 'id-token-same-registration',
      reason: 'validly signed ID token (nonce claim, aud = the API, no azp/appid, no scp) for an API that shares its client registration, so the audience matches',
      expectedCode: 'not_access_token',
      token: mint({
        claims: { nonce: crypto.randomUUID(), aud: audience, scp: undefined, roles: undefined, ...Object.fromEntries(clientClaims.map((c) => [c, undefined])) },
      }),
    },
    {
      name: 'personal-account',
      reason: 'validly signed personal Microsoft account token (tid 9188040d-…), signed by the personal-account key, which the key sets of a tenant and of `organizations` do not publish (a verifier for `common` finds the key and must refuse the tenant instead: tenant_not_allowed)',
      expectedCode: 'signing_key_not_found',
      token: mint({ personalAccount: true }),
    },
    {
      name: 'personal-account-shared-key',
      reason: 'a personal-account token (tid 9188040d-…) signed by a key published for every tenant ({tenantid} issuer), so only the tenant policy can refuse it: one tenant, or `organizations` (work and school accounts only)',
      expectedCode: 'tenant_not_allowed',
      token: mint({ personalAccount: true, kid: current.kid }),
    },
    {
      name: 'roles-huge-array',
      reason: 'validly signed, roles is an array of 5,000 strings whose last member is a number',
      expectedCode: 'malformed_token',
      token: mint({ claims: { roles: [...Array.from({ length: 4_999 }, () => 'a'), 1] } }),
    },
    {
      name: 'groups-huge-array',
      reason: 'validly signed, groups holds 5,000 entries and there is neither scp nor roles',
      expectedCode: 'no_scope_or_role',
      token: mint({ scopes: [], roles: [], claims: { groups: Array.from({ length: 5_000 }, (_, i) => String(i % 10)) } }),
    },
    ...claimTypeAttacks(mint, isV1),
  ];
}

/** Every JSON type but the right one, for the registered claims and the Entra claims a verifier reads. */
const JSON_VALUES: Record<string, unknown> = { null: null, boolean: true, number: 42, string: 'x', array: ['x'], object: { x: 1 } };

function claimTypeAttacks(mint: HostileInput['mint'], isV1: boolean): Entry[] {
  const rightTypes: Record<string, string[]> = {
    iss: ['string'],
    sub: ['string'],
    aud: ['string', 'array'], // RFC 7519 §4.1.3 allows an array of strings
    exp: ['number'],
    nbf: ['number'],
    iat: ['number'],
    tid: ['string'],
    oid: ['string'],
    ver: ['string'],
    scp: ['string'],
    roles: ['array'],
    [isV1 ? 'appid' : 'azp']: ['string'],
  };
  return Object.entries(rightTypes).flatMap(([claim, right]) =>
    Object.entries(JSON_VALUES)
      .filter(([type]) => !right.includes(type))
      .map(([type, value]) => ({
        name: `claim-type-${claim}-${type}`,
        reason: `validly signed, ${claim} is ${type === 'null' ? 'null' : `a JSON ${type}`} instead of a ${right.join(' or ')}`,
        expectedCode: 'malformed_token',
        token: mint({ claims: { [claim]: value } }),
      })),
  );
}
