// The tasks SPA in a real headless Chromium (Debian's, through playwright-core), against the fake
// Entra ID routed in for https://login.microsoftonline.com, and the real tasks API.
import { CHROMIUM_ARGS, findChromium } from '@entra-verify/example-support';
import { base64url } from 'jose';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTasksSpaEnvironment, type TasksSpaEnvironment } from '../src/environment.js';

const executablePath = findChromium();
// CI must run them (.ci/run installs Chromium); only a local run without Chromium skips.
if (!executablePath && process.env.CI) throw new Error('CI runs the browser tests: install Chromium (apt-get install -y chromium) or set CHROMIUM_PATH');
if (!executablePath) console.warn('tasks-spa browser tests skipped: no Chromium found (apt-get install -y chromium, or set CHROMIUM_PATH)');

const UI_TIMEOUT = 30_000;
let environment: TasksSpaEnvironment;
let browser: Browser;

beforeAll(async () => {
  if (!executablePath) return;
  [environment, browser] = await Promise.all([startTasksSpaEnvironment(), chromium.launch({ executablePath, args: CHROMIUM_ARGS })]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await environment?.close();
});

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  context.setDefaultTimeout(UI_TIMEOUT);
  await environment.entra.routeBrowser(context);
  const page = await context.newPage();
  return { context, page };
}

const openApp = async (page: Page) => {
  await page.goto(`${environment.spa.url}/`);
  await page.locator('body[data-ready="true"]').waitFor();
};

async function signIn(page: Page, userName: string) {
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: new RegExp(`^${userName} \\(`) }).click();
  await page.locator('body[data-ready="true"]').waitFor();
  await expect.poll(() => page.locator('#user-name').textContent(), { timeout: UI_TIMEOUT }).toContain(userName);
}

const titles = (page: Page) => page.locator('#tasks .title').allTextContents();

async function addTask(page: Page, title: string) {
  await page.getByLabel('New task').fill(title);
  await page.getByRole('button', { name: 'Add' }).click();
  await page.locator('#tasks .title', { hasText: title }).waitFor();
}

describe.skipIf(!executablePath)('tasks SPA in Chromium (msal-browser against the fake Entra ID)', () => {
  it('signs in, adds, completes and deletes tasks; two users see only their own; signs out', async () => {
    const { context, page } = await newPage();
    try {
      await openApp(page);
      await signIn(page, 'Adele Vance');
      await addTask(page, 'Write the report');
      await addTask(page, 'Book the lab');
      await page.getByLabel('Done: Write the report').check();
      await expect.poll(() => page.locator('li.done .title').allTextContents(), { timeout: UI_TIMEOUT }).toEqual(['Write the report']);
      await page.getByRole('button', { name: 'Delete Book the lab' }).click();
      await expect.poll(() => titles(page), { timeout: UI_TIMEOUT }).toEqual(['Write the report']);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await signIn(page, 'Bob Kelly');
      expect(await titles(page)).toEqual([]);
      await addTask(page, "Bob's task");

      await page.getByRole('button', { name: 'Sign out' }).click();
      await signIn(page, 'Adele Vance');
      await expect.poll(() => titles(page), { timeout: UI_TIMEOUT }).toEqual(['Write the report']);
      const signIns = environment.entra.requests.count((r) => r.endpoint === 'token' && r.grantType === 'authorization_code' && r.status === 200);
      expect(signIns).toBeGreaterThanOrEqual(3);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('renews an expired access token silently with the refresh token', async () => {
    const { context, page } = await newPage();
    try {
      // The page's clock is Playwright's, so the test can move it past the token's expiry.
      await page.clock.install();
      await openApp(page);
      await signIn(page, 'Adele Vance');
      await addTask(page, 'Before the hour');
      const refreshes = () => environment.entra.requests.count((r) => r.grantType === 'refresh_token' && r.status === 200);
      const authorizeCalls = () => environment.entra.requests.count('authorize');
      const [refreshedBefore, authorizedBefore] = [refreshes(), authorizeCalls()];

      await page.clock.fastForward('01:10:00');
      await addTask(page, 'After the hour');
      expect(refreshes()).toBeGreaterThan(refreshedBefore);
      expect(authorizeCalls()).toBe(authorizedBefore);
      expect(await page.locator('#status').textContent()).toBe('');
    } finally {
      await context.close();
    }
  }, 120_000);

  it('refuses a redirect URI that is not registered, on its own page, without going there', async () => {
    const { context, page } = await newPage();
    try {
      const { entra } = environment;
      const query = new URLSearchParams({ client_id: entra.clientApp.clientId, response_type: 'code', redirect_uri: 'https://attacker.example/callback', scope: 'openid' });
      await page.goto(`${entra.authority()}/oauth2/v2.0/authorize?${query}`);
      // goto waits for the page's load: the answer is this page, not a redirect to the attacker.
      expect(await page.locator('#error-code').count()).toBe(1);
      expect(await page.locator('#error-code').textContent()).toBe('AADSTS50011');
      expect(new URL(page.url()).origin).toBe('https://login.microsoftonline.com');
    } finally {
      await context.close();
    }
  }, 60_000);

  it('will not redeem an authorization code without its PKCE verifier, even from the registered origin', async () => {
    const { context, page } = await newPage();
    const { entra } = environment;
    entra.autoSignIn(entra.user);
    try {
      const verifier = base64url.encode(crypto.getRandomValues(new Uint8Array(32)));
      const challenge = base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
      const redirectUri = `${environment.spa.url}/`;
      const query = new URLSearchParams({ client_id: entra.clientApp.clientId, response_type: 'code', response_mode: 'query', redirect_uri: redirectUri, scope: 'api://tasks/Tasks.ReadWrite openid', code_challenge: challenge, code_challenge_method: 'S256' });
      await page.goto(`${entra.authority()}/oauth2/v2.0/authorize?${query}`);
      await page.waitForURL((url) => url.searchParams.has('code'));
      const code = new URL(page.url()).searchParams.get('code')!;
      const redeem = (codeVerifier: string) =>
        page.evaluate(
          async ({ tokenUrl, body }) => {
            const response = await fetch(tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
            return { status: response.status, body: (await response.json()) as { error?: string; error_codes?: number[] } };
          },
          { tokenUrl: `${entra.authority()}/oauth2/v2.0/token`, body: new URLSearchParams({ grant_type: 'authorization_code', client_id: entra.clientApp.clientId, code, redirect_uri: redirectUri, code_verifier: codeVerifier }).toString() },
        );
      const stolen = await redeem(base64url.encode(crypto.getRandomValues(new Uint8Array(32))));
      expect(stolen).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_codes: [501481] } });
    } finally {
      entra.autoSignIn(false);
      await context.close();
    }
  }, 60_000);
});
