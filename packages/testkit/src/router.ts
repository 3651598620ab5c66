// Maps a request onto Entra's URL shapes and records it. Transport-agnostic: `fetch`, the
// loopback server and the MSAL network client all end here.
import type { FakeCloud } from './cloud.js';
import type { FakeApi, FakeTenant } from './directory.js';
import { entraErrorResponse, jsonResponse, tenantNotFound } from './entra-error.js';
import { delay, type FaultPlan, type FakeFault } from './faults.js';
import type { KeyRing } from './key-ring.js';
import { keySet, v1Discovery, v2Discovery, type MetadataContext } from './metadata.js';
import type { FakeEndpoint, RequestLog } from './request-log.js';
import type { TokenEndpoint } from './token-endpoint.js';

export interface RouterContext {
  cloud: FakeCloud;
  tenants: readonly FakeTenant[];
  apis: readonly FakeApi[];
  keys: KeyRing;
  tokens: TokenEndpoint;
  faults: FaultPlan;
  log: RequestLog;
  now(): number;
}

interface Route {
  endpoint: FakeEndpoint;
  tenantSegment: string | undefined;
  rest: string;
}

const MULTI_TENANT_SEGMENTS = new Set(['common', 'organizations']);

function classify(method: string, path: string): Route {
  const [, tenantSegment = '', ...restParts] = path.split('/');
  const rest = restParts.join('/');
  const endpoint: FakeEndpoint =
    method === 'GET' && (rest === 'v2.0/.well-known/openid-configuration' || rest === '.well-known/openid-configuration')
      ? 'discovery'
      : method === 'GET' && (rest === 'discovery/v2.0/keys' || rest === 'discovery/keys')
        ? 'keys'
        : method === 'POST' && rest === 'oauth2/v2.0/token'
          ? 'token'
          : method === 'POST' && rest === 'oauth2/v2.0/devicecode'
            ? 'devicecode'
            : method === 'GET' && tenantSegment === 'common' && rest === 'discovery/instance'
              ? 'instance-discovery'
              : 'unknown';
  return { endpoint, tenantSegment: tenantSegment || undefined, rest };
}

export async function route(ctx: RouterContext, request: Request, origin: string): Promise<Response> {
  const url = new URL(request.url);
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const { endpoint, tenantSegment, rest } = classify(request.method, path);
  let response: Response;
  try {
    const fault = ctx.faults.take(endpoint);
    if (fault?.delayMs) await delay(fault.delayMs, request.signal);
    response = fault && (fault.status || fault.body) ? faultResponse(ctx, fault, endpoint) : await answer(ctx, request, url, origin, { endpoint, tenantSegment, rest });
  } catch (error) {
    if (request.signal.aborted) throw error;
    response = entraErrorResponse({ status: 400, error: 'invalid_request', code: 900144, message: 'The request could not be parsed.' }, ctx.now());
  }
  ctx.log.add({ method: request.method, endpoint, path, search: url.search, tenant: tenantSegment, status: response.status, at: ctx.now() });
  return response;
}

async function answer(ctx: RouterContext, request: Request, url: URL, origin: string, { endpoint, tenantSegment = '', rest }: Route): Promise<Response> {
  if (endpoint === 'unknown') return jsonResponse({ error: 'not_found', error_description: `fake Entra does not serve ${request.method} ${url.pathname}` }, 404);
  if (endpoint === 'instance-discovery') return instanceDiscovery(origin);

  const tenant = ctx.tenants.find((t) => t.id === tenantSegment.toLowerCase());
  if (!tenant && !MULTI_TENANT_SEGMENTS.has(tenantSegment)) return entraErrorResponse(tenantNotFound(tenantSegment), ctx.now());
  const homeTenantId = tenant?.id ?? ctx.tenants[0]!.id;

  if (endpoint === 'token' || endpoint === 'devicecode') {
    const form = new URLSearchParams(await request.text());
    return endpoint === 'token'
      ? ctx.tokens.token(form, request.headers.get('authorization'), homeTenantId)
      : ctx.tokens.deviceCode(form, homeTenantId);
  }

  const appId = url.searchParams.get('appid') ?? undefined;
  const version = rest.includes('v2.0') ? 2 : 1;
  if (endpoint === 'discovery') {
    const meta: MetadataContext = { cloud: ctx.cloud, origin, tenantSegment, tenantId: tenant?.id, appId };
    return jsonResponse(version === 2 ? v2Discovery(meta) : v1Discovery(meta));
  }
  const app = appId ? ctx.apis.find((a) => a.appId === appId && a.customSigningKey) : undefined;
  const appKey = app ? ctx.keys.appKey(app.appId) : undefined;
  return jsonResponse(
    keySet({ version, cloud: ctx.cloud, shared: ctx.keys.published, ...(app && appKey ? { appKey: { key: appKey, tenantId: app.tenantId } } : {}) }),
  );
}

function instanceDiscovery(origin: string): Response {
  const host = new URL(origin).host;
  return jsonResponse({
    tenant_discovery_endpoint: `${origin}/{tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  });
}

function faultResponse(ctx: RouterContext, fault: FakeFault, endpoint: FakeEndpoint): Response {
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
