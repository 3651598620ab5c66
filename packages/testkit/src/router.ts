// Maps a request onto Entra's URL shapes and records it. Transport-agnostic: `fetch`, the
// loopback server and the MSAL network client all end here.
import type { AuthorizeEndpoint } from './browser/authorize-endpoint.js';
import { logout } from './browser/logout-endpoint.js';
import type { BrowserSessions } from './browser/sessions.js';
import type { FakeCloud } from './cloud.js';
import type { FakeApi, FakeClientApp, FakeTenant } from './directory.js';
import { entraErrorResponse, jsonResponse, tenantNotFound } from './entra-error.js';
import { delay, type FaultPlan, type FakeFault } from './faults.js';
import type { KeyRing } from './key-ring.js';
import type { FakeSigningKey } from './signing-key.js';
import { keySet, v1Discovery, v2Discovery, type MetadataContext } from './metadata.js';
import { PERSONAL_ACCOUNT_TENANT_ID, publishesPersonalKeys } from './personal-accounts.js';
import type { FakeEndpoint, RequestLog } from './request-log.js';
import type { TokenEndpoint } from './token-endpoint.js';

export interface RouterContext {
  cloud: FakeCloud;
  tenants: readonly FakeTenant[];
  apis: readonly FakeApi[];
  keys: KeyRing;
  tokens: TokenEndpoint;
  authorize: AuthorizeEndpoint;
  sessions: BrowserSessions;
  clientApps: readonly FakeClientApp[];
  /** Every origin the fake answers on (the authority host and its aliases). */
  origins(): string[];
  faults: FaultPlan;
  log: RequestLog;
  now(): number;
}

interface Route {
  endpoint: FakeEndpoint;
  tenantSegment: string | undefined;
  rest: string;
}

// `consumers` and the personal-account tenant: https://learn.microsoft.com/entra/identity-platform/v2-protocols#endpoints
const MULTI_TENANT_SEGMENTS = new Set(['common', 'organizations', 'consumers', PERSONAL_ACCOUNT_TENANT_ID]);

const TOKEN_PATHS = new Set(['oauth2/v2.0/token', 'oauth2/token']);
const AUTHORIZE_PATHS = new Set(['oauth2/v2.0/authorize', 'oauth2/authorize']);
const LOGOUT_PATHS = new Set(['oauth2/v2.0/logout', 'oauth2/logout']);
/** The fake's own sign-in and consent pages post here (no Entra URL: these pages are the fake's). */
const FAKE_UI_SEGMENT = '_fake-entra';

function classify(method: string, path: string): Route {
  const [, tenantSegment = '', ...restParts] = path.split('/');
  const rest = restParts.join('/');
  const get = method === 'GET';
  const endpoint: FakeEndpoint =
    get && (rest === 'v2.0/.well-known/openid-configuration' || rest === '.well-known/openid-configuration')
      ? 'discovery'
      : get && (rest === 'discovery/v2.0/keys' || rest === 'discovery/keys')
        ? 'keys'
        : (method === 'POST' || method === 'OPTIONS') && TOKEN_PATHS.has(rest)
          ? 'token'
          : method === 'POST' && rest === 'oauth2/v2.0/devicecode'
            ? 'devicecode'
            : get && tenantSegment === 'common' && rest === 'discovery/instance'
              ? 'instance-discovery'
              : (get || method === 'POST') && AUTHORIZE_PATHS.has(rest)
                ? 'authorize'
                : (get || method === 'POST') && LOGOUT_PATHS.has(rest)
                  ? 'logout'
                  : method === 'POST' && tenantSegment === FAKE_UI_SEGMENT && (rest === 'sign-in' || rest === 'consent')
                    ? 'sign-in'
                    : 'unknown';
  return { endpoint, tenantSegment: tenantSegment || undefined, rest };
}

/** `grant_type` of a token request, for the request log. */
async function grantTypeOf(request: Request, endpoint: FakeEndpoint): Promise<string | undefined> {
  if (endpoint !== 'token' || request.method !== 'POST') return undefined;
  return new URLSearchParams(await request.clone().text()).get('grant_type') ?? undefined;
}

/** A loop, not a trailing-slash regex: that backtracks on a long run of "/" that does not end the path. */
function trimTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 0x2f) end--;
  return path.slice(0, end);
}

export async function route(ctx: RouterContext, request: Request, origin: string): Promise<Response> {
  const url = new URL(request.url);
  const path = trimTrailingSlashes(url.pathname) || '/';
  const { endpoint, tenantSegment, rest } = classify(request.method, path);
  const grantType = await grantTypeOf(request, endpoint).catch(() => undefined);
  let response: Response;
  try {
    const fault = ctx.faults.take(endpoint);
    if (fault?.delayMs) await delay(fault.delayMs, request.signal);
    response = fault && (fault.status || fault.body) ? faultResponse(ctx, fault, endpoint) : await answer(ctx, request, url, origin, { endpoint, tenantSegment, rest });
  } catch (error) {
    if (request.signal.aborted) throw error;
    response = entraErrorResponse({ status: 400, error: 'invalid_request', code: 900144, message: 'The request could not be parsed.' }, ctx.now());
  }
  ctx.log.add({ method: request.method, endpoint, path, search: url.search, tenant: tenantSegment, status: response.status, at: ctx.now(), ...(grantType ? { grantType } : {}) });
  return withCors(request, endpoint, response);
}

async function answer(ctx: RouterContext, request: Request, url: URL, origin: string, { endpoint, tenantSegment = '', rest }: Route): Promise<Response> {
  if (endpoint === 'unknown') return jsonResponse({ error: 'not_found', error_description: `fake Entra does not serve ${request.method} ${url.pathname}` }, 404);
  if (endpoint === 'instance-discovery') return instanceDiscovery(origin);
  if (endpoint === 'sign-in') return rest === 'consent' ? ctx.authorize.consentDecision(request) : ctx.authorize.signIn(request);
  if (endpoint === 'token' && request.method === 'OPTIONS') return preflight(request);

  const segment = tenantSegment.toLowerCase();
  const tenant = ctx.tenants.find((t) => t.id === segment || t.domain === segment);
  if (!tenant && !MULTI_TENANT_SEGMENTS.has(segment)) return entraErrorResponse(tenantNotFound(tenantSegment), ctx.now());
  const homeTenantId = tenant?.id ?? ctx.tenants[0]!.id;

  if (endpoint === 'authorize') return ctx.authorize.authorize(request, origin, homeTenantId);
  if (endpoint === 'logout') return logout(request, origin, ctx.sessions, ctx.clientApps);
  if (endpoint === 'token' || endpoint === 'devicecode') {
    const form = new URLSearchParams(await request.text());
    if (endpoint === 'devicecode') return ctx.tokens.deviceCode(form, homeTenantId);
    // The v1 endpoint names a `resource` where v2 takes scopes.
    if (rest === 'oauth2/token' && !form.has('scope') && form.has('resource')) form.set('scope', `${form.get('resource')}/.default openid profile offline_access`);
    const endpointUrls = [...new Set([origin, ...ctx.origins()])].map((o) => `${o}${url.pathname}`);
    return ctx.tokens.token(form, { authorization: request.headers.get('authorization'), origin: request.headers.get('origin'), endpointUrls }, homeTenantId);
  }

  const appId = url.searchParams.get('appid') ?? undefined;
  const version = rest.includes('v2.0') ? 2 : 1;
  if (endpoint === 'discovery') {
    // The personal-account tenant is a tenant like any other: its document names its own issuer.
    const tenantId = tenant?.id ?? (segment === PERSONAL_ACCOUNT_TENANT_ID ? segment : undefined);
    const meta: MetadataContext = { cloud: ctx.cloud, origin, tenantSegment, tenantId, appId };
    return jsonResponse(version === 2 ? v2Discovery(meta) : v1Discovery(meta));
  }
  const app = appId ? ctx.apis.find((a) => a.appId === appId && a.customSigningKey) : undefined;
  const appKey = app ? ctx.keys.appKey(app.appId) : undefined;
  const served = (list: FakeSigningKey[]) => list.filter((key) => !ctx.keys.omitNow(key.kid));
  return jsonResponse(
    keySet({
      version,
      cloud: ctx.cloud,
      shared: served(ctx.keys.published),
      personal: publishesPersonalKeys(segment) ? served([await ctx.keys.personal()]) : [],
      ...(app && appKey ? { appKey: { key: appKey, tenantId: app.tenantId } } : {}),
    }),
  );
}

/**
 * CORS. A `spa` redirect URI "supports auth code flow with PKCE and cross-origin resource sharing"
 * (v2-oauth2-auth-code-flow): the token endpoint answers the browser's origin, and the grants refuse
 * what is not a SPA's (AADSTS9002326, readable by the app as msal-browser surfaces it). Discovery and
 * key sets are public documents msal-browser fetches cross-origin for authorities it has no built-in
 * metadata for (msal-common Authority.getEndpointMetadataFromNetwork).
 */
function withCors(request: Request, endpoint: FakeEndpoint, response: Response): Response {
  const origin = request.headers.get('origin');
  if (endpoint === 'token' && origin) {
    response.headers.set('access-control-allow-origin', origin);
    response.headers.append('vary', 'Origin');
  } else if (endpoint === 'discovery' || endpoint === 'keys' || endpoint === 'instance-discovery') {
    response.headers.set('access-control-allow-origin', '*');
  }
  return response;
}

function preflight(request: Request): Response {
  return new Response(null, {
    status: 204,
    headers: {
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': request.headers.get('access-control-request-headers') ?? 'content-type',
      'access-control-max-age': '86400',
    },
  });
}

function instanceDiscovery(origin: string): Response {
  const host = new URL(origin).host;
  return jsonResponse({
    tenant_discovery_endpoint: `${origin}/{tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  });
}

/** The answer an injected fault gives instead of the real one (shared with createFakeB2C). */
export function faultResponse(ctx: { now(): number }, fault: FakeFault, endpoint: FakeEndpoint): Response {
  const headers: HeadersInit = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
  if (fault.status && fault.status !== 200) {
    return entraErrorResponse({ status: fault.status, error: fault.status === 429 ? 'too_many_requests' : 'temporarily_unavailable', code: 90033, message: `A transient error has occurred (injected fault on ${endpoint}). Please try again.` }, ctx.now(), headers);
  }
  if (fault.body === 'empty-key-set') return jsonResponse({ keys: [] }, 200, headers);
  if (fault.body === 'oversized') {
    const size = fault.oversizedBytes ?? 2 * 1024 * 1024;
    return new Response(`{"keys":[],"padding":"${'x'.repeat(size)}"}`, { status: 200, headers: { ...headers, 'content-type': 'application/json' } });
  }
  return new Response('{"keys": [ {"kty": "RSA", "kid": ', { status: 200, headers: { ...headers, 'content-type': 'application/json' } });
}
