// /{tenant}/oauth2/v2.0/logout (v2-protocols-oidc, "Send a sign-out request"): ends the fake's
// session and sends the browser to `post_logout_redirect_uri`, which "must match one of the redirect
// URIs registered for your application"; without one (or with an unregistered one) the user "is
// shown a generic message". The endpoint "supports both HTTP GET and POST requests". `state` is
// echoed, as OpenID Connect RP-Initiated Logout 1.0 §2 and §3 specify.
import type { FakeClientApp } from '../directory.js';
import { signedOutPage } from './pages.js';
import { sessionCookie, type BrowserSessions } from './sessions.js';

export async function logout(request: Request, origin: string, sessions: BrowserSessions, clients: readonly FakeClientApp[]): Promise<Response> {
  const params = request.method === 'POST' ? new URLSearchParams(await request.text()) : new URL(request.url).searchParams;
  const session = sessions.fromRequest(request);
  if (session) sessions.end(session.id);
  const headers = { 'set-cookie': sessionCookie('', origin, 0), 'cache-control': 'no-store' };
  const target = params.get('post_logout_redirect_uri');
  const registered = target && clients.some((c) => c.redirectUris.spa.includes(target) || c.redirectUris.web.includes(target) || c.redirectUris.publicClient.includes(target));
  if (!target || !registered) return signedOutPage(headers);
  const state = params.get('state');
  const location = state ? `${target}${target.includes('?') ? '&' : '?'}state=${encodeURIComponent(state)}` : target;
  return new Response(null, { status: 302, headers: { ...headers, location } });
}
