// The verification order of DESIGN.md §3 as data: each rule, what it needs, what it adds to the
// state. verify() runs them in order and stops at the first failure; diagnose() runs every rule
// whose prerequisites passed, so one call can explain every problem with a token.
import { checkAudience } from './check-audience.js';
import { checkClientApp, checkScopeOrRole } from './check-client.js';
import { checkAlgorithm, checkNotGraphToken, keyIdOf } from './check-header.js';
import { checkIssuer, checkSigningKeyIssuer, checkTenant, type IssuerContext } from './check-issuer.js';
import { checkLifetime } from './check-lifetime.js';
import type { SignatureBackend } from './crypto/signature-backend.js';
import { authError } from './errors.js';
import type { CachedKey, KeySetCache } from './jwks/key-set-cache.js';
import { parseToken, type ParsedToken } from './parse-token.js';
import type { ResolvedOptions } from './resolve-options.js';

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
  run(state: VerificationState): void | Promise<void>;
}

export interface StepDependencies {
  config: ResolvedOptions;
  keys: KeySetCache;
  backend: SignatureBackend;
  location(): Promise<{ keySetUrl: string; issuer: IssuerContext }>;
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
  const issuerOf = async (state: VerificationState) => {
    if (!state.issuer) Object.assign(state, await location());
    return need(state.issuer);
  };
  return [
    { rule: 'format', needs: [], run: (s) => void (s.parsed = parseToken(s.token, config.maxTokenBytes, backend)) },
    { rule: 'algorithm', needs: ['format'], run: (s) => checkAlgorithm(need(s.parsed).header, config.algorithms) },
    { rule: 'not a Graph token', needs: ['format'], run: (s) => checkNotGraphToken(need(s.parsed).header, claimsOf(s), config.audiences[0]!) },
    { rule: 'key id', needs: ['format'], run: (s) => void (s.kid = keyIdOf(need(s.parsed).header)) },
    {
      rule: 'signing key',
      needs: ['key id'],
      run: async (s) => {
        await issuerOf(s);
        const keySetUrl = need(s.keySetUrl);
        s.key = await keys.getKey(keySetUrl, need(s.kid));
        if (!s.key) throw keyNotFound(need(s.kid), keySetUrl, config, keys.failureOf(keySetUrl)?.message);
      },
    },
    {
      rule: 'signature',
      needs: ['algorithm', 'signing key'],
      run: async (s) => {
        const { header, signingInput, signature } = need(s.parsed);
        const source = `key ${need(s.kid)} from ${need(s.keySetUrl)}`;
        let valid: boolean;
        try {
          valid = await backend.verify(await keys.importKey(need(s.key), header.alg), header.alg, signingInput, signature);
        } catch (cause) {
          throw authError('invalid_signature', 'The token signature is invalid.', `The signature could not be checked with ${source}.`, { cause });
        }
        if (!valid) throw authError('invalid_signature', 'The token signature is invalid.', `The signature does not match ${source}: the token was altered after signing, or signed by someone else under a published kid.`);
      },
    },
    { rule: 'key issuer', needs: ['signature'], run: async (s) => checkSigningKeyIssuer(need(s.key).issuer, claimsOf(s), await issuerOf(s)) },
    { rule: 'tenant', needs: ['format'], run: async (s) => void (s.tenantId = await checkTenant(claimsOf(s), await issuerOf(s))) },
    { rule: 'issuer', needs: ['tenant'], run: async (s) => void (s.tokenVersion = checkIssuer(claimsOf(s), need(s.tenantId), await issuerOf(s))) },
    { rule: 'audience', needs: ['format'], run: (s) => checkAudience(claimsOf(s), config.audiences) },
    { rule: 'lifetime', needs: ['format'], run: (s) => checkLifetime(claimsOf(s), config.now(), config.clockToleranceSeconds) },
    { rule: 'client app', needs: ['format'], run: (s) => checkClientApp(claimsOf(s), config.allowedClientApps) },
    { rule: 'scope or role', needs: ['format'], run: (s) => checkScopeOrRole(claimsOf(s), config.requireScopeOrRole) },
  ];
}
