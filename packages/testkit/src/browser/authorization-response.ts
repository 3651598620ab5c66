// Sending the result of an authorization request back to the app, by `response_mode`
// (v2-oauth2-auth-code-flow: `query`, "Default when requesting an access token"; `fragment`;
// `form_post`, "Executes a POST containing the code to your redirect URI"). A form_post answer is
// an auto-submitting HTML form (OAuth 2.0 Form Post Response Mode, §2).

export type ResponseMode = 'query' | 'fragment' | 'form_post';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function deliverToRedirectUri(redirectUri: string, mode: ResponseMode, params: Record<string, string>, headers: HeadersInit = {}): Response {
  const merged = new Headers(headers);
  merged.set('cache-control', 'no-store');
  if (mode === 'form_post') {
    const inputs = Object.entries(params)
      .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
      .join('');
    merged.set('content-type', 'text/html; charset=utf-8');
    const html = `<!doctype html><html><head><title>Working...</title></head><body onload="document.forms[0].submit()"><form method="post" action="${escape(redirectUri)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form></body></html>`;
    return new Response(html, { status: 200, headers: merged });
  }
  const encoded = new URLSearchParams(params).toString();
  const base = redirectUri.split('#')[0]!;
  merged.set('location', mode === 'fragment' ? `${base}#${encoded}` : `${base}${base.includes('?') ? '&' : '?'}${encoded}`);
  return new Response(null, { status: 302, headers: merged });
}
