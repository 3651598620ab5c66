// The verification order of DESIGN.md §3 as data: each rule, what it needs, what it adds to the
// state. verify() runs them in order and stops at the first failure; diagnose() runs every rule
// whose prerequisites passed, so one call can explain every problem with a token.
import type { EntraAccessTokenClaims } from '../token/claims.js';
import { checkAudience } from './check-audience.js';
import { checkAccessToken, checkClientApp, checkScopeOrRole } from './check-client.js';
import { checkAlgorithm, checkNotGraphToken, keyIdOf } from './check-header.js';
import { checkIssuer, checkSigningKeyIssuer, checkTenant, checkTenantPolicy, type IssuerContext } from './check-issuer.js';
import { checkLifetime } from './check-lifetime.js';
import { checkCallers, checkGuests, isGuest } from './callers.js';
import { checkRequiredClaims } from './required-claims.js';
import { isAppOnly } from '../token/verified-token.js';
import { decryptToken, isCompactJwe } from '../keys/decrypt-token.js';
import type { SignatureBackend } from '../keys/crypto/signature-backend.js';
import { authError, isEntraAuthError } from '../errors.js';
import { isGuid } from '../guid.js';
import { shown } from '../printable.js';
import type { CachedKey, KeySetCache } from '../keys/key-set-cache.js';
import type { HeaderMemo } from '../token/header-memo.js';
import { parseClaims, parseToken, peekSmallPayload, type ParsedToken } from '../token/parse-token.js';
import type { ResolvedOptions } from './rule-config.js';

/** The rules of the verification order, by name, as `diagnose()` and the CLI report them. */
export type VerificationRule =
  | 'decryption'
  | 'format'
  | 'algorithm'
  | 'not a Graph token'
  | 'key id'
  | 'signing key'
  | 'signature'
  | 'claims'
  | 'key issuer'
  | 'tenant'
  | 'issuer'
  | 'audience'
  | 'lifetime'
  | 'access token'
  | 'client app'
  | 'scope or role'
  | 'caller'
  | 'guest'
  | 'required claims'
  | 'authority'
  | 'certificate binding'
  | 'check';

export interface VerificationState {
  token: unknown;
  parsed?: ParsedToken;
  /** The payload's claims, parsed once the signature held (or, in diagnose(), regardless). */
  claims?: EntraAccessTokenClaims;
  kid?: string;
  keySetUrl?: string;
  issuer?: IssuerContext;
  key?: CachedKey;
  tenantId?: string;
  tokenVersion?: 1 | 2;
  /** The caller is a guest (computed by the guest rule, or once the token is described). */
  guest?: boolean;
}

export interface VerificationStep {
  rule: VerificationRule;
  needs: readonly VerificationRule[];
  /** Synchronous when everything it needs is at hand; a promise only when it must wait. */
  run(state: VerificationState): unknown;
}

export interface KeySetLocation {
  keySetUrl: string;
  issuer: IssuerContext;
}

export interface StepDependencies {
  config: ResolvedOptions;
  keys: KeySetCache;
  backend: SignatureBackend;
  /** Synchronous unless discovery metadata has to be loaded. */
  location(): KeySetLocation | Promise<KeySetLocation>;
  /** Parsed headers of verified tokens (see header-memo.ts); a key that cannot be found is dropped from it. */
  headers?: HeaderMemo;
}

/** `fn(value)`, after the value if it is a promise: keeps the warm path free of awaits. */
export function andThen<T, R>(value: T | Promise<T>, fn: (resolved: T) => R): R | Promise<Awaited<R>> {
  return value instanceof Promise ? value.then(fn) as Promise<Awaited<R>> : fn(value);
}

/** Narrow a state field a rule's prerequisites guarantee. */
function need<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('entra-verify: a verification rule ran before its prerequisite');
  return value;
}

function keyNotFound(kid: string, keySetUrl: string, config: ResolvedOptions, failure: string | undefined) {
  const cooldownMinutes = Math.round(config.jwks.unknownKidCooldownMs / 60_000);
  const hints = [
    `Key ${shown(kid, 80)} is not in the key set at ${keySetUrl}${failure ? ` (its last refresh failed: ${failure})` : ''}; the set was refetched at most once per ${cooldownMinutes} min to look for it.`,
    'A token signed before a key rollover verifies until Entra retires that key; a kid that never appears is forged or comes from another issuer or cloud.',
    // Captures of Microsoft's common key set show keys in use missing from one response and back in the next.
    'Entra\'s front ends sometimes serve a key set that briefly lacks a key still in use: if this kid shows up in a later fetch of the same URL, that was such a flap (the verifier keeps a known key until two fetches a cooldown apart both lack it, but cannot use a key it has never seen).',
  ];
  if (!config.appId && !config.authority) {
    const clientId = config.audiences.find(isGuid);
    hints.push(`If the API's app registration uses custom signing keys (claims mapping), set appId: "${clientId ?? '<the API\'s application (client) id>'}" to use the key set at ?appid=.`);
  }
  return authError('signing_key_not_found', 'The token signing key is not recognized.', hints.join(' '));
}

/**
 * Decryption (with decryptionKeys) and the format rule: what runs before anything depends on who
 * issued the token. With several authorities they run once, before the issuer picks the authority.
 */
export function parsingSteps(config: Pick<ResolvedOptions, 'decryptionKeys' | 'maxTokenBytes'>, backend: SignatureBackend, headers?: HeaderMemo): VerificationStep[] {
  const { decryptionKeys } = config;
  // Only with decryptionKeys: an encrypted token is replaced by the signed token inside, which
  // every following rule then checks; a plain token passes through synchronously.
  const decryption: VerificationStep[] = decryptionKeys
    ? [{ rule: 'decryption', needs: [], run: (s) => (isCompactJwe(s.token) ? decryptToken(s.token, decryptionKeys, config.maxTokenBytes, backend).then((inner) => void (s.token = inner)) : undefined) }]
    : [];
  return [...decryption, { rule: 'format', needs: decryptionKeys ? ['decryption'] : [], run: (s) => void (s.parsed = parseToken(s.token, config.maxTokenBytes, backend, headers)) }];
}

/** Every rule of one authority after the format: keys, signature, claims, issuer, … and its policy. */
export function authoritySteps({ config, keys, backend, location, headers }: StepDependencies): VerificationStep[] {
  const claimsOf = (state: VerificationState) => need(state.claims);
  const place = (state: VerificationState, found: KeySetLocation): VerificationState => {
    state.keySetUrl = found.keySetUrl;
    state.issuer = found.issuer;
    return state;
  };
  /** `rule(state)` once the key set's location is known: at once, unless discovery metadata is loading. */
  const whenLocated = <R>(state: VerificationState, rule: (state: VerificationState) => R): R | Promise<Awaited<R>> => {
    if (state.issuer) return rule(state);
    const found = location();
    return found instanceof Promise ? found.then((loaded) => rule(place(state, loaded))) as Promise<Awaited<R>> : rule(place(state, found));
  };
  // The rules that need the location, made once (not a closure per verification).
  const findKey = (state: VerificationState) => {
    const keySetUrl = need(state.keySetUrl);
    const kid = need(state.kid);
    state.key = keys.peekKey(keySetUrl, kid);
    if (state.key) return undefined;
    // A kid the fresh set lacks, with no refetch allowed yet: refused at once.
    if (keys.isKnownAbsent(keySetUrl, kid)) throw notFound(kid, keySetUrl);
    return signingKey(state);
  };
  const keyIssuerRule = (state: VerificationState) => checkSigningKeyIssuer(need(state.key).issuer, claimsOf(state), need(state.issuer));
  const tenantRule = (state: VerificationState) => {
    state.tenantId = checkTenant(claimsOf(state), need(state.issuer));
    return checkTenantPolicy(state.tenantId, config.tenant);
  };
  const issuerRule = (state: VerificationState) => void (state.tokenVersion = checkIssuer(claimsOf(state), need(state.tenantId), need(state.issuer)));
  const notFound = (kid: string, keySetUrl: string) => {
    headers?.forgetKey(kid);
    return keyNotFound(kid, keySetUrl, config, keys.failureOf(keySetUrl)?.message);
  };
  const signingKey = async (s: VerificationState) => {
    const keySetUrl = need(s.keySetUrl);
    s.key = await keys.getKey(keySetUrl, need(s.kid));
    if (!s.key) throw notFound(need(s.kid), keySetUrl);
  };
  // With offload: 'auto', overlapping checks may run on the thread pool (Node's backend only).
  const verifySignature = config.offload === 'auto' && backend.verifySpread ? backend.verifySpread.bind(backend) : backend.verify.bind(backend);
  const checkSignature = (s: VerificationState, key: unknown): void | Promise<void> => {
    const { header, signingInput, signature } = need(s.parsed);
    const source = `key ${need(s.kid)} from ${need(s.keySetUrl)}`;
    const judge = (valid: boolean) => {
      if (!valid) throw authError('invalid_signature', 'The token signature is invalid.', `The signature does not match ${source}: the token was altered after signing, or signed by someone else under a published kid.`);
    };
    const failed = (cause: unknown): never => {
      throw authError('invalid_signature', 'The token signature is invalid.', `The signature could not be checked with ${source}.`, { cause });
    };
    let verdict: boolean | Promise<boolean>;
    try {
      verdict = verifySignature(key, header.alg, signingInput(), signature);
    } catch (cause) {
      return failed(cause);
    }
    return verdict instanceof Promise ? verdict.then(judge, failed) : judge(verdict);
  };
  return [
    { rule: 'algorithm', needs: ['format'], run: (s) => checkAlgorithm(need(s.parsed).header, config.algorithms) },
    // Before the signature: Graph signs over a hashed nonce, so its tokens would fail as forged.
    { rule: 'not a Graph token', needs: ['format'], run: (s) => checkNotGraphToken(need(s.parsed).header, undefined, config.audiences, () => peekSmallPayload(need(s.parsed).payload)) },
    { rule: 'key id', needs: ['format'], run: (s) => void (s.kid = keyIdOf(need(s.parsed).header)) },
    {
      rule: 'signing key',
      needs: ['key id'],
      run: (s) => whenLocated(s, findKey),
    },
    {
      rule: 'signature',
      needs: ['algorithm', 'signing key'],
      run: (s) => {
        const key = need(s.key);
        const alg = need(s.parsed).header.alg;
        const ready = key.ready.get(alg);
        if (ready !== undefined) return checkSignature(s, ready);
        return keys.importKey(key, alg).then((imported) => checkSignature(s, imported), (cause: unknown) => {
          // The key cache refuses a key published for another algorithm with its own hint.
          if (isEntraAuthError(cause)) throw cause;
          throw authError('invalid_signature', 'The token signature is invalid.', `Key ${need(s.kid)} from ${need(s.keySetUrl)} could not be imported.`, { cause });
        });
      },
    },
    // Claims are parsed only now: nothing a forger wrote in the payload costs more than decoding it.
    { rule: 'claims', needs: ['format'], run: (s) => void (s.claims = parseClaims(need(s.parsed).payload)) },
    { rule: 'key issuer', needs: ['signature', 'claims'], run: (s) => whenLocated(s, keyIssuerRule) },
    { rule: 'tenant', needs: ['claims'], run: (s) => whenLocated(s, tenantRule) },
    { rule: 'issuer', needs: ['tenant'], run: (s) => whenLocated(s, issuerRule) },
    {
      rule: 'audience',
      needs: ['claims'],
      run: (s) => {
        // A Graph (or Azure AD Graph) aud without the nonce header: name the mistake, not just the mismatch.
        checkNotGraphToken(need(s.parsed).header, claimsOf(s), config.audiences);
        checkAudience(claimsOf(s), config.audiences);
      },
    },
    { rule: 'lifetime', needs: ['claims'], run: (s) => checkLifetime(claimsOf(s), config.now(), config.clockToleranceSeconds) },
    { rule: 'access token', needs: ['claims'], run: (s) => checkAccessToken(claimsOf(s)) },
    { rule: 'client app', needs: ['claims'], run: (s) => checkClientApp(claimsOf(s), config.allowedClientApps) },
    { rule: 'scope or role', needs: ['claims'], run: (s) => checkScopeOrRole(claimsOf(s), config.requireScopeOrRole) },
    // The verifier's (or authority's) policy: present only when configured, so the rules a
    // diagnosis lists stay the same for everyone else.
    ...policySteps(config, claimsOf),
  ];
}

function policySteps(config: ResolvedOptions, claimsOf: (state: VerificationState) => EntraAccessTokenClaims): VerificationStep[] {
  const where = config.name === undefined ? 'this API' : `authority "${config.name}"`;
  const steps: VerificationStep[] = [];
  if (config.callers !== 'both') steps.push({ rule: 'caller', needs: ['claims'], run: (s) => checkCallers(isAppOnly(claimsOf(s)), config.callers, where) });
  if (config.guests === 'refuse') steps.push({ rule: 'guest', needs: ['claims'], run: (s) => checkGuests((s.guest = isGuest(claimsOf(s), config.authority !== undefined)), config.guests, where) });
  const { requiredClaims } = config;
  if (requiredClaims) steps.push({ rule: 'required claims', needs: ['claims'], run: (s) => checkRequiredClaims(claimsOf(s), requiredClaims) });
  return steps;
}

/** Every rule, in order, of a verifier with one authority. */
export function verificationSteps(dependencies: StepDependencies): VerificationStep[] {
  return [...parsingSteps(dependencies.config, dependencies.backend, dependencies.headers), ...authoritySteps(dependencies)];
}
