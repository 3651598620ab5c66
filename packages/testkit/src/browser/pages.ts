// The fake's own pages: sign-in (pick a user or type a name), consent, error and signed-out. They
// imitate no Microsoft page; they carry plain labels that tests click and read.
import type { FakeUser } from '../directory.js';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string, status = 200, headers: HeadersInit = {}): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<meta name="viewport" content="width=device-width"><style>body{font:16px system-ui;max-width:28rem;margin:3rem auto;padding:0 1rem}button{display:block;width:100%;margin:.4rem 0;padding:.6rem;font:inherit;text-align:left}input{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}.note{color:#555;font-size:.85rem}</style></head>
<body><p class="note">Fake Microsoft Entra ID (test double)</p>${body}</body></html>`;
  const merged = new Headers(headers);
  merged.set('content-type', 'text/html; charset=utf-8');
  merged.set('cache-control', 'no-store');
  return new Response(html, { status, headers: merged });
}

export interface SignInPageInput {
  requestId: string;
  clientName: string;
  users: readonly FakeUser[];
  loginHint: string | undefined;
  /** The typed username matched no user. */
  unknownUsername?: string | undefined;
}

export function signInPage(input: SignInPageInput): Response {
  const users = input.users
    .map((u) => `<button type="submit" name="username" value="${escape(u.username)}">${escape(u.name)} (${escape(u.username)})</button>`)
    .join('\n');
  const problem = input.unknownUsername ? `<p role="alert">No account named ${escape(input.unknownUsername)} in this directory.</p>` : '';
  return page(
    'Sign in to your account',
    `<h1>Sign in</h1><p>to continue to ${escape(input.clientName)}</p>${problem}
<form method="post" action="/_fake-entra/sign-in"><input type="hidden" name="request" value="${escape(input.requestId)}">
<p>Pick an account:</p>${users}</form>
<form method="post" action="/_fake-entra/sign-in"><input type="hidden" name="request" value="${escape(input.requestId)}">
<label>Or type a username <input name="username" autocomplete="off" value="${escape(input.loginHint ?? '')}"></label>
<button type="submit">Next</button></form>`,
  );
}

export function consentPage(requestId: string, clientName: string, userName: string, permissions: string[]): Response {
  const items = permissions.map((p) => `<li>${escape(p)}</li>`).join('');
  return page(
    'Permissions requested',
    `<h1>Permissions requested</h1><p>${escape(clientName)} wants to, for ${escape(userName)}:</p><ul>${items}</ul>
<form method="post" action="/_fake-entra/consent"><input type="hidden" name="request" value="${escape(requestId)}">
<button type="submit" name="decision" value="accept">Accept</button><button type="submit" name="decision" value="cancel">Cancel</button></form>`,
  );
}

/**
 * Errors the authorization endpoint must not send to the redirect URI (unknown client, redirect URI
 * not registered): RFC 6749 §4.1.2.1 says it "MUST NOT automatically redirect the user-agent to the
 * invalid redirection URI", so Entra shows them on its own page.
 */
export function errorPage(error: { error: string; error_description: string; error_codes: number[] }, status: number): Response {
  const code = `AADSTS${error.error_codes[0] ?? ''}`;
  return page(
    'Sign-in error',
    `<h1>Sorry, but we're having trouble signing you in.</h1><p id="error-code" data-error="${escape(error.error)}">${escape(code)}</p><p id="error-description">${escape(error.error_description)}</p>`,
    status,
  );
}

export function signedOutPage(headers: HeadersInit): Response {
  return page('Signed out', '<h1>You signed out of your account</h1><p>It is a good idea to close all browser windows.</p>', 200, headers);
}
