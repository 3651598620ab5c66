// /{tenant}/oauth2/v2.0/authorize (and the v1 /oauth2/authorize): the sign-in page, consent, the
// unattended mode, `prompt`, and the code sent back to the app. `prompt` follows
// v2-oauth2-auth-code-flow: `login` and `select_account` always show the sign-in page, `consent`
// always shows the consent page, `none` never shows a page ("login_required: ... The client
// requested silent authentication (prompt=none), but a single user couldn't be found";
// "interaction_required: Another authentication step or consent is required"); without `prompt`,
// a signed-in user goes straight through ("sign in the sole current user").
import { findUser, type FakeApi, type FakeClientApp, type FakeUser } from '../directory.js';
import { entraErrorBody, type EntraErrorSpec } from '../entra-error.js';
import type { AuthorizationCodes } from '../grants/authorization-codes.js';
import type { ConsentStore, DelegatedPermission } from '../grants/consent.js';
import { clientInfoFor } from '../grants/delegated-tokens.js';
import { consentDeclined, consentMissing, loginRequired } from '../protocol-errors.js';
import { deliverToRedirectUri, type ResponseMode } from './authorization-response.js';
import { parseAuthorizeRequest, type AuthorizeRequest } from './authorize-request.js';
import { consentPage, errorPage, signInPage } from './pages.js';
import { sessionCookie, type BrowserSession, type BrowserSessions } from './sessions.js';

export interface AuthorizeEndpointContext {
  now(): number;
  apis: readonly FakeApi[];
  users: readonly FakeUser[];
  findClient(clientId: string): FakeClientApp | undefined;
  consent: ConsentStore;
  codes: AuthorizationCodes;
  sessions: BrowserSessions;
  /** The user the unattended mode signs in (and consents for) at once, if any. */
  autoSignInUser(): FakeUser | undefined;
}

interface Pending {
  request: AuthorizeRequest;
  tenantId: string;
  origin: string;
  user?: FakeUser;
  session?: BrowserSession;
  expiresAt: number;
}

const PENDING_LIFETIME_MS = 30 * 60 * 1000;

export class AuthorizeEndpoint {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly ctx: AuthorizeEndpointContext) {}

  async authorize(request: Request, origin: string, tenantId: string): Promise<Response> {
    const params = request.method === 'POST' ? new URLSearchParams(await request.text()) : new URL(request.url).searchParams;
    const parsed = parseAuthorizeRequest(params, this.ctx, tenantId);
    if ('pageError' in parsed) return errorPage(entraErrorBody(parsed.pageError, this.ctx.now()), parsed.pageError.status);
    if ('redirectError' in parsed) return this.sendError(parsed.redirectUri, parsed.responseMode, parsed.state, parsed.redirectError);

    const pending: Pending = { request: parsed.request, tenantId, origin, expiresAt: this.ctx.now() + PENDING_LIFETIME_MS };
    const session = this.ctx.sessions.fromRequest(request);
    const prompt = parsed.request.prompt;
    if (prompt === 'none') return session ? this.afterSignIn(pending, session.user, 'silent', session) : this.sendError(pending.request.redirectUri, pending.request.responseMode, pending.request.state, loginRequired());
    const auto = this.ctx.autoSignInUser();
    if (auto) return this.afterSignIn(pending, auto, 'auto', session);
    if (session && prompt !== 'login' && prompt !== 'select_account') return this.afterSignIn(pending, session.user, 'interactive', session);
    return this.showSignIn(pending);
  }

  /** POST /_fake-entra/sign-in from the sign-in page. */
  async signIn(request: Request): Promise<Response> {
    const form = new URLSearchParams(await request.text());
    const id = form.get('request') ?? '';
    const pending = this.take(id);
    if (!pending) return this.expiredPage();
    const username = (form.get('username') ?? '').trim();
    const user = findUser(this.ctx.users, username);
    if (!user) return this.showSignIn(pending, username || undefined);
    return this.afterSignIn(pending, user, 'interactive', this.ctx.sessions.fromRequest(request));
  }

  /** POST /_fake-entra/consent from the consent page. */
  async consentDecision(request: Request): Promise<Response> {
    const form = new URLSearchParams(await request.text());
    const pending = this.take(form.get('request') ?? '');
    if (!pending?.user || !pending.session) return this.expiredPage();
    const { request: req } = pending;
    if (form.get('decision') !== 'accept') return this.sendError(req.redirectUri, req.responseMode, req.state, consentDeclined());
    this.ctx.consent.grant(pending.user.objectId, req.client.clientId, req.permissions);
    return this.issueCode(pending, pending.user, pending.session);
  }

  private afterSignIn(pending: Pending, user: FakeUser, mode: 'interactive' | 'silent' | 'auto', existing: BrowserSession | undefined): Response {
    const { request } = pending;
    const session = existing?.user.objectId === user.objectId ? existing : this.ctx.sessions.start(user);
    const setCookie: Record<string, string> = session === existing ? {} : { 'set-cookie': sessionCookie(session.id, pending.origin) };
    const missing = this.ctx.consent.missing(user.objectId, request.client.clientId, request.permissions);
    if (request.prompt === 'consent' || missing.length > 0) {
      if (mode === 'silent') return this.sendError(request.redirectUri, request.responseMode, request.state, consentMissing('interaction_required', request.client.clientId), setCookie);
      if (mode === 'auto') {
        this.ctx.consent.grant(user.objectId, request.client.clientId, request.permissions);
      } else {
        const id = this.store({ ...pending, user, session });
        const shown = request.prompt === 'consent' ? request.permissions : missing;
        return withHeaders(consentPage(id, request.client.displayName, user.name, describe(shown, this.ctx.apis)), setCookie);
      }
    }
    return this.issueCode(pending, user, session, setCookie);
  }

  private issueCode(pending: Pending, user: FakeUser, session: BrowserSession, headers: HeadersInit = {}): Response {
    const { request } = pending;
    const code = this.ctx.codes.issue({
      clientId: request.client.clientId,
      redirectUri: request.redirectUri,
      platform: request.platform,
      tenantId: pending.tenantId,
      user,
      scope: request.scope,
      nonce: request.nonce,
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: request.codeChallengeMethod,
      sessionId: session.id,
    });
    const params: Record<string, string> = { code };
    // msal-common's AuthorizeResponse carries client_info beside the code when client_info=1 was asked.
    if (request.clientInfo) params.client_info = clientInfoFor(user, pending.tenantId);
    if (request.state !== undefined) params.state = request.state;
    params.session_state = session.id;
    return deliverToRedirectUri(request.redirectUri, request.responseMode, params, headers);
  }

  private sendError(redirectUri: string, mode: ResponseMode, state: string | undefined, spec: EntraErrorSpec, headers: HeadersInit = {}): Response {
    const body = entraErrorBody(spec, this.ctx.now());
    const params: Record<string, string> = { error: body.error, error_description: body.error_description, error_uri: body.error_uri };
    if (spec.suberror) params.suberror = spec.suberror;
    if (state !== undefined) params.state = state;
    return deliverToRedirectUri(redirectUri, mode, params, headers);
  }

  private showSignIn(pending: Pending, unknownUsername?: string): Response {
    const id = this.store(pending);
    return signInPage({ requestId: id, clientName: pending.request.client.displayName, users: this.ctx.users, loginHint: pending.request.loginHint, unknownUsername });
  }

  private store(pending: Pending): string {
    const id = crypto.randomUUID();
    this.pending.set(id, pending);
    return id;
  }

  private take(id: string): Pending | undefined {
    const pending = this.pending.get(id);
    this.pending.delete(id);
    return pending && pending.expiresAt > this.ctx.now() ? pending : undefined;
  }

  private expiredPage(): Response {
    return errorPage(entraErrorBody({ status: 400, error: 'invalid_request', code: 50089, message: 'Authentication failed due to flow token expired. Start the sign-in again.' }, this.ctx.now()), 400);
  }
}

function describe(permissions: DelegatedPermission[], apis: readonly FakeApi[]): string[] {
  return permissions.map((p) => `${p.scope} (${apis.find((a) => a.appId === p.apiAppId)?.identifierUri ?? p.apiAppId})`);
}

function withHeaders(response: Response, headers: HeadersInit): Response {
  new Headers(headers).forEach((value, name) => response.headers.set(name, value));
  return response;
}
