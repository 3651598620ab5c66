// The verification order of DESIGN.md §3 as data: each rule, what it needs, what it adds to the
// state. verify() runs them in order and stops at the first failure; diagnose() runs every rule
// whose prerequisites passed, so one call can explain every problem with a token.
import { checkAudience } from './check-audience.js';
import { checkClientApp, checkScopeOrRole } from './check-client.js';
import { checkAlgorithm, checkNotGraphToken, keyIdOf } from './check-header.js';
import { checkIssuer, checkSigningKeyIssuer, checkTenant, checkTenantPolicy, type IssuerContext } from './check-issuer.js';
import { checkLifetime } from './check-lifetime.js';
import type { SignatureBackend } from './crypto/signature-backend.js';
import { authError } from './errors.js';
import type { CachedKey, KeySetCache } from './jwks/key-set-cache.js';
import { parseToken, type ParsedToken } from './parse-token.js';
import type { ResolvedOptions } from './resolve-options.js';

/** The rules of the verification order, by name, as `diagnose()` and the CLI report them. */
export type VerificationRule =
  | 'format'
  | 'algorithm'
  | 'not a Graph token'
  | 'key id'
  | 'signing key'
  | 'signature'
  | 'key issuer'
  | 'tenant'
  | 'issuer'
  | 'audience'
  | 'lifetime'
  | 'client app'
  | 'scope or role';

export interface VerificationState {
  token: unknown;
  parsed?: ParsedToken;
  kid?: string;
  keySetUrl?: string;
  issuer?: IssuerContext;
  key?: CachedKey;
  tenantId?: string;
  tokenVersion?: 1 | 2;
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
}

/** `fn(value)`, after the value if it is a promise: keeps the warm path free of awaits. */
function then<T, R>(value: T | Promise<T>, fn: (resolved: T) => R): R | Promise<Awaited<R>> {
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
    `Key "${kid.slice(0, 80)}" is not in the key set at ${keySetUrl}${failure ? ` (its last refresh failed: ${failure})` : ''}; the set was refetched at most once per ${cooldownMinutes} min to look for it.`,
    'A token signed before a key rollover verifies until Entra retires that key; a kid that never appears is forged or comes from another issuer or cloud.',
  ];
  if (!config.appId && !config.authority) {
    hints.push('If the API\'s app registration uses custom signing keys (claims mapping), set appId: "<api-client-id>" to use the key set at ?appid=.');
  }
  return authError('signing_key_not_found', 'The token signing key is not recognized.', hints.join(' '));
}

export function verificationSteps({ config, keys, backend, location }: StepDependencies): VerificationStep[] {
  const claimsOf = (state: VerificationState) => need(state.parsed).claims;
  const located = (state: VerificationState): VerificationState | Promise<VerificationState> =>
    state.issuer ? state : then(location(), (found) => Object.assign(state, found));
  const signingKey = async (s: VerificationState) => {
    const keySetUrl = need(s.keySetUrl);
    s.key = await keys.getKey(keySetUrl, need(s.kid));
    if (!s.key) throw keyNotFound(need(s.kid), keySetUrl, config, keys.failureOf(keySetUrl)?.message);
  };
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
      verdict = backend.verify(key, header.alg, signingInput(), signature);
    } catch (cause) {
      return failed(cause);
    }
    return verdict instanceof Promise ? verdict.then(judge, failed) : judge(verdict);
  };
  return [
    { rule: 'format', needs: [], run: (s) => void (s.parsed = parseToken(s.token, config.maxTokenBytes, backend)) },
    { rule: 'algorithm', needs: ['format'], run: (s) => checkAlgorithm(need(s.parsed).header, config.algorithms) },
    { rule: 'not a Graph token', needs: ['format'], run: (s) => checkNotGraphToken(need(s.parsed).header, claimsOf(s), config.audiences[0]!) },
    { rule: 'key id', needs: ['format'], run: (s) => void (s.kid = keyIdOf(need(s.parsed).header)) },
    {
      rule: 'signing key',
      needs: ['key id'],
      run: (s) =>
        then(located(s), (state) => {
          state.key = keys.peekKey(need(state.keySetUrl), need(state.kid));
          return state.key ? undefined : signingKey(state);
        }),
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
          throw authError('invalid_signature', 'The token signature is invalid.', `Key ${need(s.kid)} from ${need(s.keySetUrl)} could not be imported.`, { cause });
        });
      },
    },
    { rule: 'key issuer', needs: ['signature'], run: (s) => then(located(s), (state) => checkSigningKeyIssuer(need(state.key).issuer, claimsOf(state), need(state.issuer))) },
    {
      rule: 'tenant',
      needs: ['format'],
      run: (s) =>
        then(located(s), (state) => {
          state.tenantId = checkTenant(claimsOf(state), need(state.issuer));
          return checkTenantPolicy(state.tenantId, config.tenant);
        }),
    },
    { rule: 'issuer', needs: ['tenant'], run: (s) => then(located(s), (state) => void (state.tokenVersion = checkIssuer(claimsOf(state), need(state.tenantId), need(state.issuer)))) },
    { rule: 'audience', needs: ['format'], run: (s) => checkAudience(claimsOf(s), config.audiences) },
    { rule: 'lifetime', needs: ['format'], run: (s) => checkLifetime(claimsOf(s), config.now(), config.clockToleranceSeconds) },
    { rule: 'client app', needs: ['format'], run: (s) => checkClientApp(claimsOf(s), config.allowedClientApps) },
    { rule: 'scope or role', needs: ['format'], run: (s) => checkScopeOrRole(claimsOf(s), config.requireScopeOrRole) },
  ];
}
