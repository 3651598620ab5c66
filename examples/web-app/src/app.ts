// A server-side web app: @azure/msal-node's ConfidentialClientApplication signs users in with the
// authorization code flow and PKCE, an express-session cookie remembers them, and the app calls the
// read/write API with the permissions each user granted. A user who never granted data.write gets
// the API's 403 (insufficient_scope) on writing, and a link to grant it (incremental consent).
import { ConfidentialClientApplication, CryptoProvider, type AccountInfo, type INetworkModule } from '@azure/msal-node';
import express, { type Request, type Response } from 'express';
import session from 'express-session';
import { homePage, type HomeView } from './pages.js';

export interface WebAppOptions {
  clientId: string;
  clientSecret: string;
  /** `https://login.microsoftonline.com/{tenant}` */
  authority: string;
  /** This app's `/auth/redirect`, registered as a `web` redirect URI. */
  redirectUri: string;
  /** Where sign-out returns to, also registered. */
  homeUri: string;
  /** The read/write API's origin and its two scopes. */
  api: { url: string; read: string; write: string };
  sessionSecret: string;
  networkClient?: INetworkModule;
}

declare module 'express-session' {
  interface SessionData {
    pkce?: { verifier: string; state: string; scopes: string[] };
    homeAccountId?: string;
    scopes?: string[];
    flash?: HomeView['result'];
  }
}

const OIDC = ['openid', 'profile', 'offline_access'];

export function createWebApp(options: WebAppOptions): express.Express {
  const msal = new ConfidentialClientApplication({
    auth: { clientId: options.clientId, clientSecret: options.clientSecret, authority: options.authority },
    ...(options.networkClient ? { system: { networkClient: options.networkClient } } : {}),
  });
  const crypto = new CryptoProvider();
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.use(session({ secret: options.sessionSecret, resave: false, saveUninitialized: false, cookie: { httpOnly: true, sameSite: 'lax' } }));

  const account = async (req: Request): Promise<AccountInfo | null> =>
    req.session.homeAccountId ? msal.getTokenCache().getAccountByHomeId(req.session.homeAccountId) : null;

  /** A token with every API permission this user granted: what the app may do for them. */
  const apiToken = async (req: Request): Promise<string> => {
    const signedIn = await account(req);
    if (!signedIn) throw new Error('not signed in');
    const result = await msal.acquireTokenSilent({ account: signedIn, scopes: req.session.scopes ?? [options.api.read] });
    return result.accessToken;
  };

  const show = (req: Request, res: Response, result: HomeView['result']) => {
    req.session.flash = result;
    res.redirect('/');
  };

  const callApi = async (req: Request, res: Response, method: 'GET' | 'POST', path: string, title: string, body?: unknown) => {
    if (!req.session.homeAccountId) return res.redirect('/sign-in');
    const response = await fetch(`${options.api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${await apiToken(req)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const challenge = response.headers.get('www-authenticate');
    show(req, res, { title: `${title}: ${response.status}`, detail: `${challenge ? `WWW-Authenticate: ${challenge}\n` : ''}${await response.text()}` });
  };

  app.get('/', async (req, res) => {
    const signedIn = await account(req);
    const view: HomeView = { ...(req.session.flash ? { result: req.session.flash } : {}) };
    delete req.session.flash;
    if (signedIn) view.user = { name: signedIn.name ?? '', username: signedIn.username, scopes: req.session.scopes ?? [] };
    res.type('html').send(homePage(view));
  });

  app.get('/sign-in', async (req, res) => {
    const { verifier, challenge } = await crypto.generatePkceCodes();
    const state = crypto.createNewGuid();
    const scopes = req.query.write ? [options.api.read, options.api.write] : [options.api.read];
    req.session.pkce = { verifier, state, scopes };
    const url = await msal.getAuthCodeUrl({ scopes: [...scopes, ...OIDC], redirectUri: options.redirectUri, codeChallenge: challenge, codeChallengeMethod: 'S256', state });
    res.redirect(url);
  });

  app.get('/auth/redirect', async (req, res) => {
    const pkce = req.session.pkce;
    delete req.session.pkce;
    const query = req.query as Record<string, string | undefined>;
    if (!pkce || query.state !== pkce.state) return show(req, res, { title: 'Sign-in failed', detail: 'The state does not match this session. Start again.' });
    if (query.error) return show(req, res, { title: `Sign-in ended: ${query.error}`, detail: query.error_description ?? '' });
    const result = await msal.acquireTokenByCode({ code: query.code ?? '', scopes: [...pkce.scopes, ...OIDC], redirectUri: options.redirectUri, codeVerifier: pkce.verifier });
    req.session.homeAccountId = result.account?.homeAccountId;
    req.session.scopes = pkce.scopes;
    res.redirect('/');
  });

  app.get('/entries', (req, res) => callApi(req, res, 'GET', '/data/read', 'Read entries'));
  app.post('/entries', (req, res) => callApi(req, res, 'POST', '/data/write', 'Write', { text: String((req.body as { text?: unknown }).text ?? '') }));
  app.get('/downstream', (req, res) => callApi(req, res, 'GET', '/data/downstream', 'Downstream API'));

  app.post('/sign-out', (req, res) => {
    req.session.destroy(() => {
      res.redirect(`${options.authority}/oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent(options.homeUri)}`);
    });
  });
  return app;
}
