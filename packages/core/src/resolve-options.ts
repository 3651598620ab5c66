// Options are checked once, when the verifier is created: a misconfiguration fails at start-up
// with a TypeError that says what to write instead, never on the first request.
import { CLOUDS, type CloudEndpoints } from './clouds.js';
import { safeSink, type EventSink } from './events.js';
import { isGuid } from './guid.js';
import type { EntraVerifierOptions, JwksOptions, SupportedAlgorithm, TenantPolicy } from './options.js';

export type TenantRule =
  | { kind: 'single'; tenantId: string }
  | { kind: 'multi'; segment: 'common' | 'organizations'; anyTenant: boolean; allowList: ReadonlySet<string> | undefined; callback: ((tenantId: string) => boolean | Promise<boolean>) | undefined };

export interface ResolvedOptions {
  tenant: TenantRule;
  audiences: readonly string[];
  tokenVersion: 1 | 2 | 'any';
  cloud: CloudEndpoints;
  authority: string | undefined;
  appId: string | undefined;
  allowedClientApps: ReadonlySet<string> | undefined;
  clockToleranceSeconds: number;
  requireScopeOrRole: boolean;
  maxTokenBytes: number;
  algorithms: ReadonlySet<string>;
  jwks: Required<JwksOptions>;
  resultCache: false | { maxEntries: number };
  fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  now: () => number;
  emit: EventSink;
}

const KNOWN_OPTIONS = new Set<keyof EntraVerifierOptions>(['tenant', 'audience', 'clientId', 'allowedTenants', 'tokenVersion', 'cloud', 'authority', 'appId', 'allowedClientApps', 'clockToleranceSeconds', 'requireScopeOrRole', 'maxTokenBytes', 'algorithms', 'jwks', 'resultCache', 'fetch', 'now', 'onEvent']);
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

/** https, or http only on loopback (the testkit's server, a local fake). */
export function checkedOrigin(value: string, option: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail(`${option} must be an absolute URL, got "${value}"`);
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    fail(`${option} must use https (http is allowed only for 127.0.0.1, localhost and [::1]), got "${value}"`);
  }
  return url.href.replace(/\/+$/, '');
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
    return { kind: 'multi', segment: lower, ...resolveTenantPolicy(allowedTenants) };
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

function resolveCloud(cloud: EntraVerifierOptions['cloud']): CloudEndpoints {
  if (cloud === undefined) return CLOUDS.public;
  if (typeof cloud === 'string') {
    const known = CLOUDS[cloud];
    return known ?? fail(`cloud must be "public", "usgov", "china" or { authorityHost }, got "${cloud}"`);
  }
  if (typeof cloud !== 'object' || cloud === null || typeof cloud.authorityHost !== 'string') return fail('cloud must be "public", "usgov", "china" or { authorityHost }');
  const authorityHost = new URL(checkedOrigin(cloud.authorityHost, 'cloud.authorityHost')).origin;
  const v1IssuerHost = cloud.v1IssuerHost ? new URL(checkedOrigin(cloud.v1IssuerHost, 'cloud.v1IssuerHost')).origin : authorityHost;
  return { authorityHost, v1IssuerHost };
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

export function resolveOptions(options: EntraVerifierOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) return fail('createEntraVerifier needs an options object with at least tenant and audience');
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key as keyof EntraVerifierOptions)) fail(`unknown option "${key}"; known options: ${[...KNOWN_OPTIONS].join(', ')}`);
  }
  const tokenVersion = options.tokenVersion ?? 'any';
  if (tokenVersion !== 1 && tokenVersion !== 2 && tokenVersion !== 'any') fail(`tokenVersion must be 1, 2 or "any", got ${String(tokenVersion)}`);
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
  const resultCache = options.resultCache === undefined ? { maxEntries: 1000 } : options.resultCache;
  if (resultCache !== false && !(typeof resultCache?.maxEntries === 'number' && Number.isInteger(resultCache.maxEntries) && resultCache.maxEntries > 0)) {
    fail('resultCache must be false or { maxEntries: <positive integer> }');
  }
  const fetchImpl = options.fetch ?? (typeof fetch === 'function' ? fetch.bind(globalThis) : undefined);
  if (!fetchImpl) fail('no global fetch on this runtime: pass options.fetch');

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
    jwks: resolveJwks(options.jwks),
    resultCache: resultCache === false ? false : { maxEntries: resultCache.maxEntries },
    fetch: fetchImpl!,
    now: options.now ?? Date.now,
    emit: safeSink(options.onEvent),
  };
}
