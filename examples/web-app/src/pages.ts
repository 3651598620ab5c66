// The web app's HTML: one page, rendered on the server.
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface HomeView {
  user?: { name: string; username: string; scopes: string[] };
  /** What the last action produced: a heading and its details. */
  result?: { title: string; detail: string };
}

export function homePage(view: HomeView): string {
  const body = view.user
    ? `<p>Signed in as <strong id="user-name">${escape(view.user.name)}</strong> (${escape(view.user.username)})</p>
<p>Granted: <span id="granted">${escape(view.user.scopes.join(' '))}</span></p>
<form method="post" action="/sign-out"><button>Sign out</button></form>
<p><a href="/entries">Read entries</a> · <a href="/downstream">Ask the downstream API who I am</a> · <a href="/sign-in?write=1">Grant write access</a></p>
<form method="post" action="/entries"><input name="text" aria-label="Entry" required> <button>Write</button></form>`
    : '<p><a href="/sign-in">Sign in</a></p>';
  const result = view.result ? `<section id="result"><h2>${escape(view.result.title)}</h2><pre>${escape(view.result.detail)}</pre></section>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Read/write web app</title></head><body><h1>Read/write web app</h1>${body}${result}</body></html>`;
}
