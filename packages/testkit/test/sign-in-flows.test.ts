// The browser sign-in flows through `entra.fetch`: authorize, code redemption with PKCE, refresh
// tokens, on-behalf-of, client assertions and sign-out. Chromium runs them in examples/tasks-spa.
import { base64url, CompactSign, decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFakeEntra, type FakeEntra } from '../src/index.js';

const SPA = 'http://localhost:5173/';
const WEB = 'http://localhost:3000/auth/redirect';
const ORIGIN = 'http://localhost:5173';
let entra: FakeEntra;
let spaId: string;
let webApp: { clientId: string; clientSecret: string };

beforeAll(async () => {
  entra = await createFakeEntra({
    apis: [{ identifierUri: 'api://tasks', scopes: ['Tasks.ReadWrite'] }, { identifierUri: 'api://downstream', scopes: ['caller.read'] }],
    clientApps: [
      { displayName: 'Tasks SPA', clientSecret: null, redirectUris: { spa: [SPA] } },
      { displayName: 'Web app', redirectUris: { web: [WEB] } },
    ],
    users: [{ givenName: 'Adele' }, { givenName: 'Bob' }],
    autoSignIn: 'adele.vance@contoso.onmicrosoft.com',
  });
  spaId = entra.clientApps[0]!.clientId;
  webApp = { clientId: entra.clientApps[1]!.clientId, clientSecret: entra.clientApps[1]!.clientSecret! };
});

const pkcePair = async () => {
  const verifier = base64url.encode(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  return { verifier, challenge };
};

async function authorize(params: Record<string, string>) {
  const query = new URLSearchParams({ response_type: 'code', scope: 'api://tasks/Tasks.ReadWrite openid profile offline_access', state: 's1', ...params });
  return entra.fetch(`${entra.authority()}/oauth2/v2.0/authorize?${query}`, { redirect: 'manual' });
}

const fromLocation = (response: Response) => {
  const location = new URL(response.headers.get('location')!);
  return new URLSearchParams(location.hash ? location.hash.slice(1) : location.search);
};

async function token(form: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await entra.fetch(`${entra.authority()}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

async function spaCode(extra: Record<string, string> = {}) {
  const { verifier, challenge } = await pkcePair();
  const response = await authorize({ client_id: spaId, redirect_uri: SPA, response_mode: 'fragment', code_challenge: challenge, code_challenge_method: 'S256', nonce: 'n-1', client_info: '1', ...extra });
  return { params: fromLocation(response), verifier };
}

const redeemSpa = (code: string, verifier: string | undefined, headers = { origin: ORIGIN }) =>
  token({ grant_type: 'authorization_code', client_id: spaId, code, redirect_uri: SPA, scope: 'api://tasks/Tasks.ReadWrite openid profile offline_access', client_info: '1', ...(verifier ? { code_verifier: verifier } : {}) }, headers);

describe('authorization endpoint', () => {
  it('sends a code, state and client_info back in the fragment when asked', async () => {
    const { params } = await spaCode();
    expect(params.get('code')).toBeTruthy();
    expect(params.get('state')).toBe('s1');
    expect(JSON.parse(new TextDecoder().decode(base64url.decode(params.get('client_info')!)))).toEqual({ uid: entra.user.objectId, utid: entra.tenantId });
  });

  it('shows unknown clients and unregistered redirect URIs on its own page, never redirecting', async () => {
    const unknown = await authorize({ client_id: crypto.randomUUID(), redirect_uri: SPA });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('AADSTS700016');
    const elsewhere = await authorize({ client_id: spaId, redirect_uri: 'https://attacker.example/' });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.headers.get('location')).toBeNull();
    expect(await elsewhere.text()).toContain('AADSTS50011');
  });

  it('sends other errors to the redirect URI with error, AADSTS description and error_uri', async () => {
    const params = fromLocation(await authorize({ client_id: spaId, redirect_uri: SPA, scope: 'api://unknown/x openid' }));
    expect(params.get('error')).toBe('invalid_resource');
    expect(params.get('error_description')).toMatch(/^AADSTS500011: /);
    expect(params.get('error_uri')).toBe('https://login.microsoftonline.com/error?code=500011');
    expect(params.get('state')).toBe('s1');
    const badScope = fromLocation(await authorize({ client_id: spaId, redirect_uri: SPA, scope: 'api://tasks/Nope' }));
    expect(badScope.get('error_description')).toMatch(/^AADSTS650053: /);
  });

  it('answers prompt=none without a session with login_required (AADSTS50058)', async () => {
    const params = fromLocation(await authorize({ client_id: spaId, redirect_uri: SPA, prompt: 'none' }));
    expect(params.get('error')).toBe('login_required');
    expect(params.get('error_description')).toMatch(/^AADSTS50058: /);
  });

  it('shows the sign-in page unless a user is signed in or the unattended mode is on', async () => {
    entra.autoSignIn(false);
    try {
      const page = await authorize({ client_id: spaId, redirect_uri: SPA, login_hint: 'bob.vance@contoso.onmicrosoft.com' });
      const html = await page.text();
      expect(html).toContain('Adele Vance');
      expect(html).toContain('value="bob.vance@contoso.onmicrosoft.com"');
    } finally {
      entra.autoSignIn(entra.user);
    }
  });

  it('posts the code with response_mode=form_post', async () => {
    const response = await authorize({ client_id: webApp.clientId, redirect_uri: WEB, response_mode: 'form_post' });
    const html = await response.text();
    expect(html).toContain(`action="${WEB}"`);
    expect(html).toMatch(/name="code" value="[^"]+"/);
  });
});

describe('authorization code grant', () => {
  it('redeems a SPA code cross-origin with the PKCE verifier: tokens, nonce, client_info, 24-hour refresh token', async () => {
    const { params, verifier } = await spaCode();
    const result = await redeemSpa(params.get('code')!, verifier);
    expect(result.status).toBe(200);
    expect(result.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(result.body).toMatchObject({ token_type: 'Bearer', refresh_token_expires_in: 86400, scope: 'api://tasks/Tasks.ReadWrite openid profile offline_access' });
    const idToken = decodeJwt(result.body.id_token as string);
    expect(idToken).toMatchObject({ aud: spaId, nonce: 'n-1', oid: entra.user.objectId });
    expect(decodeJwt(result.body.access_token as string)).toMatchObject({ scp: 'Tasks.ReadWrite', azp: spaId, oid: entra.user.objectId });
  });

  it('keeps sub stable per user and app', async () => {
    const first = await spaCode();
    const second = await spaCode();
    const a = decodeJwt((await redeemSpa(first.params.get('code')!, first.verifier)).body.id_token as string);
    const b = decodeJwt((await redeemSpa(second.params.get('code')!, second.verifier)).body.id_token as string);
    expect(a.sub).toBe(b.sub);
  });

  it('refuses a wrong or missing verifier (AADSTS501481), a second redemption (AADSTS54005) and no PKCE for a SPA (AADSTS9002325)', async () => {
    const wrong = await spaCode();
    expect((await redeemSpa(wrong.params.get('code')!, (await pkcePair()).verifier)).body.error_codes).toEqual([501481]);
    const missing = await spaCode();
    expect((await redeemSpa(missing.params.get('code')!, undefined)).body.error_codes).toEqual([501481]);
    const twice = await spaCode();
    expect((await redeemSpa(twice.params.get('code')!, twice.verifier)).status).toBe(200);
    expect((await redeemSpa(twice.params.get('code')!, twice.verifier)).body.error_codes).toEqual([54005]);
    const noPkce = fromLocation(await authorize({ client_id: spaId, redirect_uri: SPA }));
    expect((await redeemSpa(noPkce.get('code')!, undefined)).body).toMatchObject({ error: 'invalid_request', error_codes: [9002325] });
  });

  it('allows cross-origin redemption only for SPA redirect URIs (AADSTS9002326), and SPA codes only cross-origin (AADSTS9002327)', async () => {
    const web = fromLocation(await authorize({ client_id: webApp.clientId, redirect_uri: WEB }));
    const crossOrigin = await token({ grant_type: 'authorization_code', client_id: webApp.clientId, code: web.get('code')!, redirect_uri: WEB }, { origin: ORIGIN });
    expect(crossOrigin.body).toMatchObject({ error: 'invalid_request', error_codes: [9002326] });
    const spa = await spaCode();
    expect((await redeemSpa(spa.params.get('code')!, spa.verifier, {} as { origin: string })).body.error_codes).toEqual([9002327]);
  });

  it('requires the web app to authenticate with its secret, or with a certificate assertion', async () => {
    const code = () => authorize({ client_id: webApp.clientId, redirect_uri: WEB }).then((r) => fromLocation(r).get('code')!);
    const form = async (extra: Record<string, string>) => ({ grant_type: 'authorization_code', client_id: webApp.clientId, code: await code(), redirect_uri: WEB, scope: 'api://tasks/Tasks.ReadWrite openid', ...extra });
    expect((await token(await form({}))).body.error_codes).toEqual([7000218]);
    expect((await token(await form({ client_secret: 'wrong' }))).body.error_codes).toEqual([7000215]);
    expect((await token(await form({ client_secret: webApp.clientSecret }))).status).toBe(200);
  });
});

describe('refresh tokens', () => {
  it('rotate, stay bound to their client, and stop working once revoked (AADSTS50173)', async () => {
    const { params, verifier } = await spaCode();
    const first = await redeemSpa(params.get('code')!, verifier);
    const refresh = (rt: string, clientId = spaId) => token({ grant_type: 'refresh_token', client_id: clientId, refresh_token: rt, scope: 'api://tasks/Tasks.ReadWrite openid offline_access', client_info: '1' }, { origin: ORIGIN });
    const second = await refresh(first.body.refresh_token as string);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.body.refresh_token);
    expect(Number(second.body.refresh_token_expires_in)).toBeLessThanOrEqual(86400);
    expect((await refresh(second.body.refresh_token as string, webApp.clientId)).body.error_codes).toEqual([70000]);
    expect(entra.revokeRefreshTokens({ user: entra.user.username, clientId: spaId })).toBeGreaterThanOrEqual(2);
    expect((await refresh(second.body.refresh_token as string)).body).toMatchObject({ error: 'invalid_grant', error_codes: [50173] });
  });
});

describe('on-behalf-of and client assertions', () => {
  it('exchanges a user token for a downstream one, the user carried over, the middle tier as azp', async () => {
    const middle = await createFakeEntra({
      apis: [{ appId: 'f0000000-0000-4000-8000-00000000000a', scopes: ['data.read'] }, { identifierUri: 'api://downstream', scopes: ['caller.read'] }],
      clientApps: [{ clientId: 'f0000000-0000-4000-8000-00000000000a', displayName: 'Read/write API' }],
    });
    const incoming = await middle.mint({ scopes: ['data.read'] });
    const request = (assertion: string) =>
      middle.fetch(`${middle.authority()}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', requested_token_use: 'on_behalf_of', client_id: middle.clientApp.clientId, client_secret: middle.clientApp.clientSecret!, assertion, scope: 'api://downstream/caller.read' }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    const ok = await request(incoming);
    expect(ok.status).toBe(200);
    expect(decodeJwt(ok.body.access_token as string)).toMatchObject({ aud: middle.apis[1]!.appId, scp: 'caller.read', oid: middle.user.objectId, azp: middle.clientApp.clientId });
    const notForMe = await middle.mint({ api: 'api://downstream' });
    expect((await request(notForMe)).body.error_codes).toEqual([50013]);
    const expired = await middle.mint({ issuedAt: Math.floor(Date.now() / 1000) - 7200 });
    expect((await request(expired)).body.error_codes).toEqual([500133]);
    expect((await request(await middle.mint({ appOnly: true, roles: ['x'] }))).body.error_codes).toEqual([50013]);
  });

  it('accepts a PS256 client assertion signed with a registered certificate, and refuses a wrong key', async () => {
    const entraWithCert = await createFakeEntra({ apis: [{ identifierUri: 'api://lab', appRoles: ['Data.Read.All'] }] });
    const certificate = await entraWithCert.createClientCertificate();
    const other = await entraWithCert.createClientCertificate();
    entraWithCert.clientApp.certificates.push(certificate);
    const endpoint = `${entraWithCert.authority()}/oauth2/v2.0/token`;
    const assertion = async (key: CryptoKey) => {
      const now = Math.floor(Date.now() / 1000);
      const claims = { aud: endpoint, iss: entraWithCert.clientApp.clientId, sub: entraWithCert.clientApp.clientId, exp: now + 600, nbf: now, jti: crypto.randomUUID() };
      const pss = await crypto.subtle.importKey('pkcs8', await crypto.subtle.exportKey('pkcs8', key), { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['sign']);
      return new CompactSign(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader({ alg: 'PS256', typ: 'JWT', 'x5t#S256': certificate.thumbprintS256 }).sign(pss);
    };
    const request = async (key: CryptoKey) =>
      (await entraWithCert.fetch(endpoint, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: entraWithCert.clientApp.clientId, scope: 'api://lab/.default', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: await assertion(key) }) })).json() as Promise<Record<string, unknown>>;
    expect(await request(certificate.privateKey)).toHaveProperty('access_token');
    expect((await request(other.privateKey)).error_codes).toEqual([700027]);
  });
});

describe('sign-out', () => {
  it('ends the session and returns to a registered post_logout_redirect_uri with state', async () => {
    entra.autoSignIn(false);
    try {
      const signIn = await entra.fetch(`${entra.cloud.authorityHost}/_fake-entra/sign-in`, { method: 'POST', body: new URLSearchParams({ request: 'expired', username: 'x' }) });
      expect(signIn.status).toBe(400);
      const out = await entra.fetch(`${entra.authority()}/oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent(SPA)}&state=abc`, { redirect: 'manual' });
      expect(out.status).toBe(302);
      expect(out.headers.get('location')).toBe(`${SPA}?state=abc`);
      expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
      const unregistered = await entra.fetch(`${entra.authority()}/oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent('https://attacker.example/')}`, { redirect: 'manual' });
      expect(unregistered.status).toBe(200);
    } finally {
      entra.autoSignIn(entra.user);
    }
  });
});
