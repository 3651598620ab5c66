// The server-side web app in a real headless Chromium: sign-in with the auth code flow and PKCE
// (msal-node), user consent on the fake's page, the API's 403 for a user who did not grant
// data.write, incremental consent, and the read/write API calling its downstream API on-behalf-of.
import { CHROMIUM_ARGS, findChromium } from '@entra-verify/example-support';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebAppEnvironment, type WebAppEnvironment } from '../src/environment.js';

const executablePath = findChromium();
// CI must run them (.ci/run installs Chromium); only a local run without Chromium skips.
if (!executablePath && process.env.CI) throw new Error('CI runs the browser tests: install Chromium (apt-get install -y chromium) or set CHROMIUM_PATH');
if (!executablePath) console.warn('web-app browser tests skipped: no Chromium found (apt-get install -y chromium, or set CHROMIUM_PATH)');

const UI_TIMEOUT = 30_000;
let environment: WebAppEnvironment;
let browser: Browser;

beforeAll(async () => {
  if (!executablePath) return;
  [environment, browser] = await Promise.all([startWebAppEnvironment(), chromium.launch({ executablePath, args: CHROMIUM_ARGS })]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await environment?.close();
});

const result = (page: Page) => page.locator('#result').innerText();

describe.skipIf(!executablePath)('web app in Chromium (msal-node auth code + PKCE against the fake Entra ID)', () => {
  it('signs in with consent, reads, gets 403 on write until the user grants data.write, and calls the downstream API on-behalf-of', async () => {
    const context = await browser.newContext();
    context.setDefaultTimeout(UI_TIMEOUT);
    await environment.entra.routeBrowser(context);
    const page = await context.newPage();
    try {
      await page.goto(`${environment.web.url}/`);
      await page.getByRole('link', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: /^Adele Vance \(/ }).click();
      await expect.poll(() => page.locator('li').allTextContents(), { timeout: UI_TIMEOUT }).toEqual(['data.read (api://read-write)']);
      await page.getByRole('button', { name: 'Accept' }).click();
      await page.locator('#user-name', { hasText: 'Adele Vance' }).waitFor();

      await page.getByRole('link', { name: 'Read entries' }).click();
      await expect.poll(() => result(page), { timeout: UI_TIMEOUT }).toContain('Read entries: 200');

      await page.getByLabel('Entry').fill('hello');
      await page.getByRole('button', { name: 'Write' }).click();
      await expect.poll(() => result(page), { timeout: UI_TIMEOUT }).toContain('Write: 403');
      expect(await result(page)).toContain('insufficient_scope');
      expect(await result(page)).toContain('scope="data.write"');

      // The user declines first: still no write.
      await page.getByRole('link', { name: 'Grant write access' }).click();
      await expect.poll(() => page.locator('li').allTextContents(), { timeout: UI_TIMEOUT }).toEqual(['data.write (api://read-write)']);
      await page.getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(() => result(page), { timeout: UI_TIMEOUT }).toContain('Sign-in ended: access_denied');
      await page.getByLabel('Entry').fill('hello');
      await page.getByRole('button', { name: 'Write' }).click();
      await expect.poll(() => result(page), { timeout: UI_TIMEOUT }).toContain('Write: 403');

      await page.getByRole('link', { name: 'Grant write access' }).click();
      await page.getByRole('button', { name: 'Accept' }).click();
      await page.locator('#granted', { hasText: 'data.write' }).waitFor();
      await page.getByLabel('Entry').fill('hello');
      await page.getByRole('button', { name: 'Write' }).click();
      await expect.poll(() => result(page), { timeout: UI_TIMEOUT }).toContain('Write: 201');

      await page.getByRole('link', { name: 'Ask the downstream API who I am' }).click();
      await expect.poll(() => result(page), { timeout: UI_TIMEOUT }).toContain('Downstream API: 200');
      const downstream = JSON.parse((await result(page)).split('\n').slice(1).join('\n')) as { downstream: Record<string, unknown> };
      expect(downstream.downstream).toMatchObject({ objectId: environment.entra.user.objectId, clientAppId: environment.entra.clientApps[1]!.clientId, scopes: ['caller.read'] });

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('link', { name: 'Sign in' }).waitFor();
      const codeGrants = environment.entra.requests.count((r) => r.grantType === 'authorization_code' && r.status === 200);
      expect(codeGrants).toBe(2);
    } finally {
      await context.close();
    }
  }, 120_000);
});
