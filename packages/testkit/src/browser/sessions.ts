// The fake's sign-in sessions, kept in a cookie on its own host: what makes a second sign-in (and
// `prompt=none`) go through without a page, and what sign-out ends. The cookie name is the fake's own.
import { base64url } from 'jose';
import type { FakeUser } from '../directory.js';

export const SESSION_COOKIE = 'fake_entra_session';

export interface BrowserSession {
  id: string;
  user: FakeUser;
}

export class BrowserSessions {
  private readonly sessions = new Map<string, BrowserSession>();

  start(user: FakeUser): BrowserSession {
    const session = { id: base64url.encode(crypto.getRandomValues(new Uint8Array(24))), user };
    this.sessions.set(session.id, session);
    return session;
  }

  fromRequest(request: Request): BrowserSession | undefined {
    const id = readCookie(request.headers.get('cookie'), SESSION_COOKIE);
    return id ? this.sessions.get(id) : undefined;
  }

  end(id: string): void {
    this.sessions.delete(id);
  }

  /** Ends every session of a user, e.g. when a test signs them out everywhere. */
  endFor(user: FakeUser): void {
    for (const [id, session] of this.sessions) if (session.user.objectId === user.objectId) this.sessions.delete(id);
  }
}

export function readCookie(header: string | null, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** Over https the cookie must be `SameSite=None; Secure` to reach the fake from an app's iframe; loopback http gets `Lax`. */
export function sessionCookie(value: string, origin: string, maxAgeSeconds?: number): string {
  const attributes = origin.startsWith('https:') ? 'Secure; SameSite=None' : 'SameSite=Lax';
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; ${attributes}${maxAgeSeconds === undefined ? '' : `; Max-Age=${maxAgeSeconds}`}`;
}
