// Options are checked once, when the verifier is created: a misconfiguration fails at start-up
// with a TypeError that says what to write instead, never on the first request.
import { CLOUD_NAMES, CLOUDS, type CloudEndpoints } from '../clouds.js';
import { safeSink, type EntraVerifierEvent, type EventSink } from '../events.js';
import { createLogSink, resolveLogger } from '../logger.js';
import { PERSONAL_ACCOUNTS_TENANT } from '../rules/check-issuer.js';
import { resolveDecryptionKeys } from '../keys/decryption-keys.js';
import { isGuid } from '../guid.js';
import { checkedOrigin } from '../keys/origin.js';
import type { JwksOptions, SupportedAlgorithm, TenantPolicy } from '../options.js';
import { checkedCallers, checkedGuests } from '../rules/callers.js';
import { checkedRequiredClaims } from '../rules/required-claims.js';
import type { ResolvedOptions, TenantRule } from '../rules/rule-config.js';
import type { AuthorityOptions, EntraAuthoritiesOptions, EntraVerifierConfig, EntraVerifierOptions, SharedVerifierOption } from './verifier-options.js';

const KNOWN_OPTIONS = new Set<keyof EntraVerifierOptions>(['tenant', 'audience', 'clientId', 'allowedTenants', 'tokenVersion', 'cloud', 'authority', 'appId', 'allowedClientApps', 'clockToleranceSeconds', 'requireScopeOrRole', 'maxTokenBytes', 'algorithms', 'decryptionKeys', 'jwks', 'resultCache', 'offload', 'fetch', 'now', 'onEvent', 'logger', 'requiredClaims', 'callers', 'guests', 'check']);
const SHARED_OPTIONS: readonly SharedVerifierOption[] = ['fetch', 'now', 'onEvent', 'logger', 'jwks', 'resultCache', 'offload', 'maxTokenBytes', 'decryptionKeys'];
const POLICY_OPTIONS = ['requiredClaims', 'callers', 'guests', 'check'] as const;
const SUPPORTED_ALGORITHMS = new Set<SupportedAlgorithm>(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const DEFAULT_JWKS: Required<JwksOptions> = {
  refreshIntervalMs: 12 * HOUR,
  unknownKidCooldownMs: 5 * MINUTE,
  timeoutMs: 5_000,
  maxResponseBytes: 1024 * 1024,
  staleIfErrorMs: 24 * HOUR,
  maxEntries: 16,
};

const fail = (message: string): never => {
  throw new TypeError(`entra-verify: ${message}`);
};

/** onEvent and the logger as one sink; `observed` is false when neither listens. */
function eventSinks(onEvent: ((event: EntraVerifierEvent) => void) | undefined, logger: ReturnType<typeof resolveLogger>, now: () => number): { emit: EventSink; observed: boolean } {
  const handler = safeSink(onEvent);
  if (!logger) return { emit: handler, observed: onEvent !== undefined };
  const log = createLogSink(logger, now);
  return {
    emit: (event) => {
      handler(event);
      log(event);
    },
    observed: true,
  };
}

function resolveTenant(options: EntraVerifierOptions): TenantRule {
  const { tenant, allowedTenants } = options;
  if (typeof tenant !== 'string' || tenant === '') {
    return fail('option "tenant" is required: your tenant GUID (Entra admin center > Overview > Tenant ID), or "common" / "organizations" with allowedTenants');
  }
  const lower = tenant.toLowerCase();
  if (lower === 'common' || lower === 'organizations') {
    if (allowedTenants === undefined) {
      return fail(`tenant "${lower}" accepts tokens from any Entra tenant, so "allowedTenants" is required: a list of tenant GUIDs, a callback (tid) => boolean, or ['*'] to accept every tenant on purpose`);
    }
    const policy = resolveTenantPolicy(allowedTenants);
    if (lower === 'organizations' && policy.allowList?.has(PERSONAL_ACCOUNTS_TENANT)) {
      fail(`allowedTenants lists ${PERSONAL_ACCOUNTS_TENANT} (personal Microsoft accounts), but tenant "organizations" accepts work and school accounts only; use tenant "common" to serve personal accounts`);
    }
    return { kind: 'multi', segment: lower, ...policy };
  }
  if (lower === 'consumers') return fail('tenant "consumers" (personal Microsoft accounts) is not supported for APIs; use "common" with allowedTenants, including 9188040d-6c67-4c5b-b112-36a304b66dad for personal accounts');
  if (!isGuid(lower)) {
    return fail(`tenant must be a tenant GUID, "common" or "organizations", got "${tenant}". Tokens carry the tenant GUID in tid, so domain names such as contoso.onmicrosoft.com cannot be compared; find the GUID under Entra admin center > Overview > Tenant ID`);
  }
  if (allowedTenants !== undefined) fail('allowedTenants applies to tenant "common" or "organizations" only; a single-tenant verifier accepts its own tenant');
  return { kind: 'single', tenantId: lower };
}

function resolveTenantPolicy(policy: TenantPolicy): Pick<Extract<TenantRule, { kind: 'multi' }>, 'anyTenant' | 'allowList' | 'callback'> {
  if (typeof policy === 'function') return { anyTenant: false, allowList: undefined, callback: policy };
  if (!Array.isArray(policy) || policy.length === 0) return fail('allowedTenants must be a non-empty array of tenant GUIDs, ["*"], or a callback');
  if (policy.includes('*')) {
    if (policy.length > 1) fail('allowedTenants: "*" accepts every tenant; do not combine it with tenant ids');
    return { anyTenant: true, allowList: undefined, callback: undefined };
  }
  for (const id of policy) if (!isGuid(id)) fail(`allowedTenants must hold tenant GUIDs, got "${String(id)}"`);
  return { anyTenant: false, allowList: new Set(policy.map((id) => id.toLowerCase())), callback: undefined };
}

function resolveAudiences(options: EntraVerifierOptions): string[] {
  const list: string[] = [];
  if (options.audience !== undefined) {
    const given = typeof options.audience === 'string' ? [options.audience] : options.audience;
    if (!Array.isArray(given) || given.length === 0 || given.some((a) => typeof a !== 'string' || a === '')) {
      fail('audience must be a non-empty string or array of strings, e.g. "api://<client-id>"');
    }
    list.push(...given);
  }
  if (options.clientId !== undefined) {
    if (!isGuid(options.clientId)) fail(`clientId must be the API's application (client) GUID, got "${String(options.clientId)}"`);
    list.push(options.clientId.toLowerCase(), `api://${options.clientId.toLowerCase()}`);
  }
  if (list.length === 0) {
    fail('option "audience" (or "clientId") is required: the Application ID URI of your API (e.g. "api://<client-id>") and/or its client id. Without it any token for any app of the tenant would pass');
  }
  return [...new Set(list)];
}

const CLOUD_CHOICES = `${CLOUD_NAMES.map((name) => `"${name}"`).join(', ')} or { authorityHost, v1IssuerHost?, v2IssuerHost? }`;

function resolveCloud(cloud: EntraVerifierOptions['cloud']): CloudEndpoints {
  if (cloud === undefined) return CLOUDS.public;
  if (typeof cloud === 'string') {
    return Object.hasOwn(CLOUDS, cloud) ? CLOUDS[cloud] : fail(`cloud must be ${CLOUD_CHOICES}, got "${cloud}"`);
  }
  if (typeof cloud !== 'object' || cloud === null || typeof cloud.authorityHost !== 'string') return fail(`cloud must be ${CLOUD_CHOICES}`);
  const origin = (value: string | undefined, option: string, fallback: string) => (value ? new URL(checkedOrigin(value, option)).origin : fallback);
  const authorityHost = origin(cloud.authorityHost, 'cloud.authorityHost', '');
  // A built-in cloud's authority host brings that cloud's issuer hosts (China's v2 issuer is not
  // its authority host); any other host issues from itself unless told otherwise.
  const known = CLOUD_NAMES.map((name) => CLOUDS[name]).find((c) => c.authorityHost === authorityHost);
  return {
    authorityHost,
    v1IssuerHost: cloud.v1IssuerHost ? origin(cloud.v1IssuerHost, 'cloud.v1IssuerHost', authorityHost) : known ? known.v1IssuerHost : authorityHost,
    v2IssuerHost: origin(cloud.v2IssuerHost, 'cloud.v2IssuerHost', known?.v2IssuerHost ?? authorityHost),
    ...(known?.keySetTenant ? { keySetTenant: known.keySetTenant } : {}),
  };
}

function positive(value: unknown, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max) fail(`${name} must be a positive number${max < Number.MAX_SAFE_INTEGER ? ` up to ${max}` : ''}, got ${String(value)}`);
  return value as number;
}

function resolveJwks(jwks: JwksOptions | undefined): Required<JwksOptions> {
  if (jwks === undefined) return DEFAULT_JWKS;
  if (typeof jwks !== 'object' || jwks === null) return fail('jwks must be an object');
  const out = { ...DEFAULT_JWKS };
  for (const key of Object.keys(jwks) as Array<keyof JwksOptions>) {
    if (!(key in DEFAULT_JWKS)) fail(`unknown jwks option "${key}"; known: ${Object.keys(DEFAULT_JWKS).join(', ')}`);
    out[key] = positive(jwks[key], `jwks.${key}`, DEFAULT_JWKS[key]);
  }
  return out;
}

export function resolveOptions(options: EntraVerifierOptions, name?: string): ResolvedOptions {
  if (typeof options !== 'object' || options === null) return fail('createEntraVerifier needs an options object with at least tenant and audience');
  for (const key of Object.keys(options)) {
    if (key === 'authorities') fail('"authorities" cannot be combined with single-authority options');
    if (!KNOWN_OPTIONS.has(key as keyof EntraVerifierOptions)) fail(`unknown option "${key}"; known options: ${[...KNOWN_OPTIONS].join(', ')}, or authorities`);
  }
  const tokenVersion = options.tokenVersion ?? 'any';
  if (tokenVersion !== 1 && tokenVersion !== 2 && tokenVersion !== 'any') fail(`tokenVersion must be 1, 2 or "any", got ${typeof tokenVersion === 'string' ? `"${tokenVersion}"` : String(tokenVersion)}`);
  // In discovery mode the metadata's issuer is the one issuer form accepted, which fixes the
  // version; a tokenVersion beside it would be silently ignored, so it is refused instead.
  if (options.authority !== undefined && options.tokenVersion !== undefined) {
    fail(`tokenVersion cannot be combined with authority: the issuer (and so the token version) comes from the authority's metadata. Remove tokenVersion, or use tenant (and cloud) instead of authority to choose versions`);
  }
  const algorithms = options.algorithms ?? ['RS256'];
  if (!Array.isArray(algorithms) || algorithms.length === 0) fail('algorithms must be a non-empty array');
  for (const alg of algorithms) {
    if (!SUPPORTED_ALGORITHMS.has(alg)) fail(`algorithm "${String(alg)}" is not supported; Entra signs with RS256 (supported: ${[...SUPPORTED_ALGORITHMS].join(', ')}). HMAC and "none" are never accepted`);
  }
  if (options.appId !== undefined && (typeof options.appId !== 'string' || options.appId === '')) fail('appId must be the application (client) id whose custom signing keys to use');
  if (options.allowedClientApps !== undefined && (!Array.isArray(options.allowedClientApps) || options.allowedClientApps.length === 0)) {
    fail('allowedClientApps must be a non-empty array of client application ids');
  }
  for (const name of ['fetch', 'now', 'onEvent'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') fail(`${name} must be a function`);
  }
  const clockToleranceSeconds = options.clockToleranceSeconds ?? 300;
  if (typeof clockToleranceSeconds !== 'number' || !(clockToleranceSeconds >= 0) || clockToleranceSeconds > 3600) {
    fail(`clockToleranceSeconds must be between 0 and 3600, got ${String(clockToleranceSeconds)}`);
  }
  const resultCache = resolveResultCache(options.resultCache);
  const offload = options.offload ?? 'off';
  if (offload !== 'off' && offload !== 'auto') fail(`offload must be 'off' or 'auto', got ${typeof offload === 'string' ? `"${offload}"` : typeof offload}`);
  const fetchImpl = options.fetch ?? (typeof fetch === 'function' ? fetch.bind(globalThis) : undefined);
  if (!fetchImpl) fail('no global fetch on this runtime: pass options.fetch');
  const now = options.now ?? Date.now;
  const events = eventSinks(options.onEvent, resolveLogger(options.logger, fail), now);

  return {
    tenant: resolveTenant(options),
    audiences: resolveAudiences(options),
    tokenVersion,
    cloud: resolveCloud(options.cloud),
    authority: options.authority === undefined ? undefined : checkedOrigin(String(options.authority), 'authority'),
    appId: options.appId,
    allowedClientApps: options.allowedClientApps ? new Set(options.allowedClientApps) : undefined,
    clockToleranceSeconds,
    requireScopeOrRole: options.requireScopeOrRole ?? true,
    maxTokenBytes: positive(options.maxTokenBytes, 'maxTokenBytes', 32 * 1024),
    algorithms: new Set(algorithms),
    decryptionKeys: resolveDecryptionKeys(options.decryptionKeys, fail),
    jwks: resolveJwks(options.jwks),
    resultCache,
    offload,
    fetch: fetchImpl!,
    now,
    emit: events.emit,
    observed: events.observed,
    name,
    requiredClaims: options.requiredClaims === undefined ? undefined : checkedRequiredClaims(options.requiredClaims, 'requiredClaims'),
    callers: checkedCallers(options.callers, 'option') ?? 'both',
    guests: checkedGuests(options.guests, 'option') ?? 'allow',
    check: options.check === undefined ? undefined : typeof options.check === 'function' ? options.check : fail('check must be a function (auth, request?) => void | Promise<void>'),
  };
}

/** A verifier's options resolved: one authority, or several with what they share. */
export interface ResolvedVerifier {
  /** One entry per authority (one, unnamed, for single-authority options). */
  authorities: ResolvedOptions[];
  /** True for `{ authorities: [...] }`, even with one entry. */
  multi: boolean;
  /** Decryption keys, applied before an authority is chosen (the issuer is inside the encrypted token). */
  decryptionKeys: ResolvedOptions['decryptionKeys'];
}

const isMulti = (options: EntraVerifierConfig): options is EntraAuthoritiesOptions => typeof options === 'object' && options !== null && 'authorities' in options;

/** Check either form of options once, at creation. */
export function resolveVerifier(options: EntraVerifierConfig): ResolvedVerifier {
  if (!isMulti(options)) {
    const config = resolveOptions(options);
    return { authorities: [config], multi: false, decryptionKeys: config.decryptionKeys };
  }
  const { authorities, ...verifierWide } = options;
  for (const key of Object.keys(verifierWide)) {
    if ((SHARED_OPTIONS as readonly string[]).includes(key) || (POLICY_OPTIONS as readonly string[]).includes(key)) continue;
    fail(KNOWN_OPTIONS.has(key as keyof EntraVerifierOptions) ? `option "${key}" belongs to an authority: move it into each entry of authorities` : `unknown option "${key}" beside authorities; verifier-wide options: ${[...SHARED_OPTIONS, ...POLICY_OPTIONS].join(', ')}`);
  }
  if (!Array.isArray(authorities) || authorities.length === 0) fail('authorities must be a non-empty array of { name, tenant or authority, audience or clientId, … }');
  const names = new Set<string>();
  const { decryptionKeys, ...shared } = verifierWide;
  const resolved = authorities.map((entry: AuthorityOptions, index) => {
    const where = `authorities[${index}]`;
    if (typeof entry !== 'object' || entry === null) fail(`${where} must be an object { name, tenant or authority, audience or clientId, … }`);
    const { name, ...own } = entry;
    if (typeof name !== 'string' || name === '') fail(`${where}.name is required: how requirements ({ authority: "…" }) and auth.authority name it`);
    if (names.has(name)) fail(`${where}.name "${name}" is used twice; names must be unique`);
    names.add(name);
    for (const key of SHARED_OPTIONS) {
      if (key in own) fail(`${where}: "${key}" is verifier-wide; set it beside authorities, not in an authority`);
    }
    try {
      return resolveOptions({ ...shared, ...own } as EntraVerifierOptions, name);
    } catch (error) {
      if (error instanceof TypeError) throw new TypeError(error.message.replace('entra-verify: ', `entra-verify: ${where} ("${name}"): `));
      throw error;
    }
  });
  return { authorities: resolved, multi: true, decryptionKeys: resolveDecryptionKeys(decryptionKeys, fail) };
}

/** `false`, or the bounds: maxEntries and/or maxBytes (at least one), positive integers; default 1000 entries. */
function resolveResultCache(option: EntraVerifierOptions['resultCache']): ResolvedOptions['resultCache'] {
  if (option === undefined) return { maxEntries: 1000 };
  if (option === false) return false;
  const usage = 'resultCache must be false or { maxEntries?: <positive integer>, maxBytes?: <positive integer> }';
  if (typeof option !== 'object' || option === null) fail(usage);
  const unknown = Object.keys(option).filter((key) => key !== 'maxEntries' && key !== 'maxBytes');
  if (unknown.length > 0) fail(`${usage}; unknown ${unknown.map((key) => `"${key}"`).join(', ')}`);
  const { maxEntries, maxBytes } = option;
  for (const [name, value] of [['maxEntries', maxEntries], ['maxBytes', maxBytes]] as const) {
    if (value !== undefined && !(typeof value === 'number' && Number.isSafeInteger(value) && value > 0)) fail(`${usage}; ${name} is ${String(value)}`);
  }
  if (maxEntries === undefined && maxBytes === undefined) fail(`${usage}; give at least one of them (the default is { maxEntries: 1000 })`);
  return { ...(maxEntries === undefined ? {} : { maxEntries }), ...(maxBytes === undefined ? {} : { maxBytes }) };
}
