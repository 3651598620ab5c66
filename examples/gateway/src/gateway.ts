// A gateway in the spirit of API Management's validate-azure-ad-token policy: the token must be
// from the tenant, for one of the audiences, requested by an allowed client app. Only then is the
// request forwarded (token included) and the backend's answer streamed back. Refused requests
// never reach the backend.
import { entraAuth, type EntraAuthMiddlewareOptions, type EntraAuthVariables } from '@entra-verify/hono';
import { Hono } from 'hono';

export interface GatewayOptions {
  /** tenant, audience and allowedClientApps are the policy; the rest are verifier options. */
  auth: EntraAuthMiddlewareOptions;
  backendUrl: string;
}

/** Hop-by-hop headers (RFC 9110 §7.6.1) are the connection's, not the message's. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host', 'content-length'];

export function createGateway(options: GatewayOptions): Hono<{ Variables: EntraAuthVariables }> {
  const backend = new URL(options.backendUrl);
  const app = new Hono<{ Variables: EntraAuthVariables }>();
  app.use('*', entraAuth({ realm: 'gateway', ...options.auth }));
  app.all('*', async (c) => {
    const incoming = new URL(c.req.url);
    const target = new URL(`${backend.pathname.replace(/\/$/, '')}${incoming.pathname}${incoming.search}`, backend);
    const headers = new Headers(c.req.raw.headers);
    for (const name of HOP_BY_HOP) headers.delete(name);
    const auth = c.get('auth');
    headers.set('x-entra-tenant-id', auth.tenantId);
    headers.set('x-entra-client-app-id', auth.principal.clientAppId ?? '');
    if (auth.principal.objectId) headers.set('x-entra-object-id', auth.principal.objectId);
    const hasBody = c.req.method !== 'GET' && c.req.method !== 'HEAD';
    const upstream = await fetch(target, {
      method: c.req.method,
      headers,
      redirect: 'manual',
      ...(hasBody ? { body: c.req.raw.body, duplex: 'half' } : {}),
    } as RequestInit).catch(() => undefined);
    if (!upstream) return c.json({ error: 'bad_gateway', error_description: 'The backend could not be reached.' }, 502);
    const responseHeaders = new Headers(upstream.headers);
    for (const name of HOP_BY_HOP) responseHeaders.delete(name);
    return new Response(upstream.body, { status: upstream.status, statusText: upstream.statusText, headers: responseHeaders });
  });
  return app;
}
