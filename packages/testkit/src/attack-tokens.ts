// A named catalogue of tokens a verifier must refuse. Each is built to be exactly what its name
// says (the "other tenant" token is validly signed; the "none" token has no signature), so a
// suite that fires them at its routes proves its verifier, not the catalogue.
import { base64url, exportJWK } from 'jose';
import { hostileAttackTokens } from './attack-tokens-hostile.js';
import { TENANT_TEMPLATE } from './cloud.js';
import type { FakeEntra } from './fake-entra.js';
import { decodeSegment, encodeSegment, signHs256, signRaw, signRs256, type JsonObject } from './jws.js';
import type { MintOptions } from './mint.js';

/** Who the tokens are aimed at: the one tenant and audience the verifier under test trusts. */
export interface AttackTarget {
  /** The tenant the verifier trusts. Default: the fake's first tenant. */
  tenantId?: string;
  /** The audience the verifier accepts. Default: what `entra.mint()` uses. */
  audience?: string;
  /** Scopes on the otherwise valid tokens. Default: what `entra.mint()` uses. */
  scopes?: string[];
  /** Token version. Default: what `entra.mint()` uses. */
  version?: 1 | 2;
  /** API registration to base tokens on (appId or Application ID URI). */
  api?: string;
}

/** A token a correct verifier must refuse, with the reason and the error code it should give. */
export interface AttackToken {
  /** Short, stable name, e.g. `expired`, `alg-none`, `other-tenant`. */
  name: string;
  /** One line: what is wrong with it. */
  reason: string;
  /** The compact JWT. */
  token: string;
  /** The `@entra-verify/core` error code that names the first broken rule. */
  expectedCode: string;
}

const GRAPH_AUDIENCE = '00000003-0000-0000-c000-000000000000';

function pem(spki: ArrayBuffer): string {
  let binary = '';
  for (const byte of new Uint8Array(spki)) binary += String.fromCharCode(byte);
  const lines = btoa(binary).match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

const split = (token: string): [string, string, string] => token.split('.') as [string, string, string];

const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The same bytes, non-canonically: set the lowest unused bit of the last character. */
function withPadBitSet(segment: string): string {
  const unusedBit = segment.length % 4 === 2 ? 0b0001 : segment.length % 4 === 3 ? 0b01 : 0;
  if (unusedBit === 0) throw new Error('a segment whose length is a multiple of 4 has no unused bits');
  const last = BASE64URL_ALPHABET.indexOf(segment.at(-1)!);
  return segment.slice(0, -1) + BASE64URL_ALPHABET[last | unusedBit];
}

export async function attackTokens(fake: FakeEntra, target: AttackTarget = {}): Promise<AttackToken[]> {
  const tenantId = target.tenantId ?? fake.tenantId;
  const base: MintOptions = {
    tenantId,
    ...(target.audience ? { audience: target.audience } : {}),
    ...(target.scopes ? { scopes: target.scopes } : {}),
    ...(target.version ? { version: target.version } : {}),
    ...(target.api ? { api: target.api } : {}),
  };
  // encrypt: false: attacks are about the signed token, even for an API with a token-encryption key.
  const mint = (extra: MintOptions = {}) =>
    fake.mint({ ...base, ...extra, encrypt: false, claims: { ...extra.claims }, header: { ...extra.header } });
  const valid = await mint();
  const [validHeader, validPayload] = split(valid);
  const claims = decodeSegment(validPayload) as JsonObject;
  const header = decodeSegment(validHeader) as JsonObject;
  const current = fake.keys.current;
  const foreign = await fake.createUnpublishedKey();
  const foreignJwk = await exportJWK(foreign.publicKey);
  const nowSeconds = Math.floor(fake.now() / 1000);
  const publishedKidHeader = { ...header, kid: current.kid };
  const otherCloud = fake.cloud.authorityHost === 'https://login.microsoftonline.us' ? 'https://login.microsoftonline.com' : 'https://login.microsoftonline.us';
  const issuerVersion = claims.ver === '1.0' ? 1 : 2;
  const issuerWithTenant = (tenant: string) => fake.issuer(issuerVersion, tenant);

  const list: Array<Omit<AttackToken, 'token'> & { token: Promise<string> | string }> = [
    {
      name: 'alg-none',
      reason: 'header alg "none" and no signature',
      expectedCode: 'algorithm_not_allowed',
      token: `${encodeSegment({ ...header, alg: 'none' })}.${validPayload}.`,
    },
    {
      name: 'alg-none-mixed-case',
      reason: 'header alg "nOnE", hoping for a case-insensitive check',
      expectedCode: 'algorithm_not_allowed',
      token: `${encodeSegment({ ...header, alg: 'nOnE' })}.${validPayload}.`,
    },
    {
      name: 'hs256-public-key-as-secret',
      reason: 'HS256 signed with the published RSA public key (PEM) as the HMAC secret',
      expectedCode: 'algorithm_not_allowed',
      token: crypto.subtle
        .exportKey('spki', current.publicKey)
        .then((spki) => signHs256(publishedKidHeader, claims, new TextEncoder().encode(pem(spki)))),
    },
    {
      name: 'signature-stripped',
      reason: 'a valid header and payload with the signature removed',
      expectedCode: 'invalid_signature',
      token: `${validHeader}.${validPayload}.`,
    },
    {
      name: 'payload-tampered',
      reason: 'payload changed after signing (extra role and scope)',
      expectedCode: 'invalid_signature',
      token: `${validHeader}.${encodeSegment({ ...claims, roles: ['Admin'], scp: `${String(claims.scp ?? '')} Admin.All`.trim() })}.${split(valid)[2]}`,
    },
    {
      name: 'foreign-key-published-kid',
      reason: 'signed by a key Entra never published, under the kid of a published key',
      expectedCode: 'invalid_signature',
      token: signRs256(publishedKidHeader, claims, foreign.privateKey),
    },
    {
      name: 'unknown-kid',
      reason: 'signed by a key that is not in the key set, with its own kid',
      expectedCode: 'signing_key_not_found',
      token: signRs256({ ...header, kid: foreign.kid, x5t: foreign.x5t }, claims, foreign.privateKey),
    },
    {
      name: 'kid-injection',
      reason: 'a kid made of path traversal and SQL, signed by a foreign key',
      expectedCode: 'signing_key_not_found',
      token: signRs256({ ...header, kid: "../../../../dev/null' OR '1'='1", x5t: undefined }, claims, foreign.privateKey),
    },
    {
      name: 'jku-header',
      reason: 'a jku header pointing at an attacker key set, signed by the attacker key',
      expectedCode: 'invalid_signature',
      token: signRs256({ ...publishedKidHeader, jku: 'https://attacker.example/keys' }, claims, foreign.privateKey),
    },
    {
      name: 'x5u-header',
      reason: 'an x5u header pointing at an attacker certificate, signed by the attacker key',
      expectedCode: 'invalid_signature',
      token: signRs256({ ...publishedKidHeader, x5u: 'https://attacker.example/cert.pem' }, claims, foreign.privateKey),
    },
    {
      name: 'embedded-jwk',
      reason: 'the attacker public key embedded as a jwk header, signed by the attacker key',
      expectedCode: 'invalid_signature',
      token: signRs256({ ...publishedKidHeader, jwk: { kty: 'RSA', n: foreignJwk.n, e: foreignJwk.e } }, claims, foreign.privateKey),
    },
    {
      name: 'embedded-x5c',
      reason: 'the attacker certificate embedded as an x5c header, signed by the attacker key',
      expectedCode: 'invalid_signature',
      token: signRs256({ ...publishedKidHeader, x5c: foreign.jwk.x5c }, claims, foreign.privateKey),
    },
    {
      name: 'expired',
      reason: 'exp one hour ago, well past any clock tolerance',
      expectedCode: 'token_expired',
      token: mint({ issuedAt: nowSeconds - 2 * 3600, expiresIn: 3600 }),
    },
    {
      name: 'not-yet-valid',
      reason: 'nbf one hour from now',
      expectedCode: 'token_not_yet_valid',
      token: mint({ notBefore: nowSeconds + 3600 }),
    },
    {
      name: 'wrong-audience',
      reason: 'a valid token for another API',
      expectedCode: 'audience_mismatch',
      token: mint({ audience: `api://${crypto.randomUUID()}` }),
    },
    {
      name: 'graph-token',
      reason: 'a Microsoft Graph access token (Graph aud, nonce header)',
      expectedCode: 'graph_token',
      token: fake.mintGraphToken({ tenantId }),
    },
    {
      name: 'graph-audience-url',
      reason: 'aud https://graph.microsoft.com without a nonce header',
      expectedCode: 'graph_token',
      token: mint({ audience: 'https://graph.microsoft.com' }),
    },
    {
      name: 'id-token',
      reason: 'an ID token (aud is the client app, no scp or roles) sent as an access token',
      expectedCode: 'audience_mismatch',
      token: fake.mintIdToken({ tenantId }),
    },
    {
      name: 'other-tenant',
      reason: 'a validly signed token from a tenant the API does not trust',
      expectedCode: 'tenant_not_allowed',
      token: mint({ tenantId: crypto.randomUUID() }),
    },
    {
      name: 'issuer-tenant-differs-from-tid',
      reason: 'iss names the trusted tenant but tid names another',
      expectedCode: 'signing_key_issuer_mismatch',
      token: mint({ claims: { tid: crypto.randomUUID() } }),
    },
    {
      name: 'issuer-of-other-cloud',
      reason: `iss from ${otherCloud}, signed by a key published for this cloud's issuer`,
      expectedCode: 'signing_key_issuer_mismatch',
      token: mint({ claims: { iss: `${otherCloud}/${tenantId}/v2.0` } }),
    },
    {
      name: 'issuer-tenant-template-literal',
      reason: 'iss with the literal {tenantid} template instead of a tenant id (the key is bound to the real one)',
      expectedCode: 'signing_key_issuer_mismatch',
      token: mint({ claims: { iss: issuerWithTenant(TENANT_TEMPLATE) } }),
    },
    {
      name: 'tid-not-a-guid',
      reason: 'tid and the iss tenant are "contoso.onmicrosoft.com", not a GUID',
      expectedCode: 'issuer_mismatch',
      token: mint({ claims: { tid: 'contoso.onmicrosoft.com', iss: issuerWithTenant('contoso.onmicrosoft.com') } }),
    },
    {
      name: 'missing-tid',
      reason: 'no tid claim',
      expectedCode: 'missing_claim',
      token: mint({ claims: { tid: undefined } }),
    },
    {
      name: 'missing-iss',
      reason: 'no iss claim',
      expectedCode: 'missing_claim',
      token: mint({ claims: { iss: undefined } }),
    },
    {
      name: 'missing-exp',
      reason: 'no exp claim: a token that never expires',
      expectedCode: 'missing_claim',
      token: mint({ claims: { exp: undefined } }),
    },
    {
      name: 'exp-not-a-number',
      reason: 'exp is the string "never"',
      expectedCode: 'malformed_token',
      token: mint({ claims: { exp: 'never' } }),
    },
    {
      name: 'no-scope-or-role',
      reason: 'validly signed, but carries neither scp nor roles',
      expectedCode: 'no_scope_or_role',
      token: mint({ scopes: [], roles: [] }),
    },
    {
      name: 'crit-unknown-header',
      reason: 'crit names a header extension no verifier understands',
      expectedCode: 'malformed_token',
      token: (() => {
        const h = encodeSegment({ ...publishedKidHeader, crit: ['urn:example:must-understand'], 'urn:example:must-understand': true });
        return signRaw(h, validPayload, current.privateKey);
      })(),
    },
    {
      name: 'b64-false',
      reason: 'RFC 7797 unencoded payload (b64: false), validly signed over the raw payload',
      expectedCode: 'malformed_token',
      token: (() => {
        const h = encodeSegment({ ...publishedKidHeader, b64: false, crit: ['b64'] });
        const raw = JSON.stringify(claims);
        // The signature covers header.rawPayload (RFC 7797); the payload travels base64url-encoded.
        return crypto.subtle
          .sign('RSASSA-PKCS1-v1_5', current.privateKey, new TextEncoder().encode(`${h}.${raw}`))
          .then((sig) => `${h}.${encodeSegment(raw)}.${base64url.encode(new Uint8Array(sig))}`);
      })(),
    },
    {
      name: 'oversized',
      reason: 'a validly signed token of more than 40 KiB',
      expectedCode: 'token_too_large',
      token: mint({ claims: { padding: 'A'.repeat(40 * 1024) } }),
    },
    {
      name: 'two-segments',
      reason: 'only header and payload',
      expectedCode: 'malformed_token',
      token: `${validHeader}.${validPayload}`,
    },
    {
      name: 'four-segments',
      reason: 'an extra segment after the signature',
      expectedCode: 'malformed_token',
      token: `${valid}.${validPayload}`,
    },
    {
      name: 'bad-base64url',
      reason: 'standard base64 with + / and = padding in the payload',
      expectedCode: 'malformed_token',
      token: `${validHeader}.${btoa(JSON.stringify(claims)).replace(/A/g, '+')}==.${split(valid)[2]}`,
    },
    {
      name: 'signature-pad-bits-set',
      reason: 'the valid signature spelled differently: its last character sets bits no byte uses, so a lenient decoder reads the same bytes',
      expectedCode: 'malformed_token',
      token: `${validHeader}.${validPayload}.${withPadBitSet(split(valid)[2])}`,
    },
    {
      name: 'payload-json-array',
      reason: 'a validly signed JSON array instead of a claims object',
      expectedCode: 'malformed_token',
      token: signRs256(header, [claims], current.privateKey),
    },
    {
      name: 'header-not-json',
      reason: 'the header segment decodes to text that is not JSON',
      expectedCode: 'malformed_token',
      token: `${encodeSegment('alg=RS256')}.${validPayload}.${split(valid)[2]}`,
    },
    ...hostileAttackTokens({ mint, claims, header, audience: String(claims.aud), current, foreign }),
  ];
  return Promise.all(list.map(async (entry) => ({ ...entry, token: await entry.token })));
}
