// Swagger UI in a real headless Chromium (Debian's, through playwright-core): its Authorize button
// signs in against the fake Entra ID (authorization code with PKCE; the production authority is
// routed to the fake), and "Try it out" sends the token: 200 where its scope allows, 403 with the
// insufficient_scope challenge where it does not.
import { CHROMIUM_ARGS, findChromium } from '@entra-verify/example-support';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDocsEnvironment, type DocsEnvironment } from '../src/docs-environment.js';

const executablePath = findChromium();
// CI must run them (.ci/run installs Chromium); only a local run without Chromium skips.
if (!executablePath && process.env.CI) throw new Error('CI runs the browser tests: install Chromium (apt-get install -y chromium) or set CHROMIUM_PATH');
if (!executablePath) console.warn('openapi-docs browser tests skipped: no Chromium found (apt-get install -y chromium, or set CHROMIUM_PATH)');

const UI_TIMEOUT = 30_000;
let environment: DocsEnvironment;
let browser: Browser;

beforeAll(async () => {
  if (!executablePath) return;
  [environment, browser] = await Promise.all([startDocsEnvironment(), chromium.launch({ executablePath, args: CHROMIUM_ARGS })]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await environment?.close();
});

async function openDocs(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  context.setDefaultTimeout(UI_TIMEOUT);
  await environment.entra.routeBrowser(context); // the sign-in pop-up and the token request go to the fake
  const page = await context.newPage();
  await page.goto(environment.docsUrl);
  return { context, page };
}

const fullScope = (scope: string) => `${environment.entra.api.identifierUri}/${scope}`;

/** Authorize → the authorization code flow's scopes → sign in on the fake's page in the pop-up. */
async function authorize(page: Page, userName: string, scopes: string[]) {
  await page.locator('.auth-wrapper').getByRole('button', { name: 'Authorize' }).click();
  const flow = page.locator('.auth-container').filter({ hasText: 'authorizationCode' });
  for (const scope of ['Data.Read', 'Data.Write']) {
    const checkbox = flow.locator(`input[data-value="${fullScope(scope)}"]`);
    // Swagger UI hides the input and styles its label: clicking the scope's name toggles it.
    if ((await checkbox.isChecked()) !== scopes.includes(scope)) await flow.getByText(fullScope(scope), { exact: true }).click();
    await expect.poll(() => checkbox.isChecked(), { timeout: UI_TIMEOUT }).toBe(scopes.includes(scope));
  }
  const [popup] = await Promise.all([page.waitForEvent('popup'), flow.getByRole('button', { name: 'Apply given OAuth2 credentials' }).click()]);
  await popup.getByRole('button', { name: new RegExp(`^${userName} \\(`) }).click();
  // The pop-up hands the code to Swagger UI, which redeems it: "Authorized", or the token endpoint's error.
  const outcome = async () => ((await flow.getByRole('heading', { name: 'Authorized', exact: true }).count()) > 0 ? 'authorized' : (await flow.locator('.errors').allTextContents()).join(' '));
  await expect.poll(outcome, { timeout: UI_TIMEOUT }).not.toBe('');
  expect(await outcome()).toBe('authorized');
  await flow.getByRole('button', { name: 'Close' }).click();
}

/** One route's block in Swagger UI. */
const operation = (page: Page, method: 'get' | 'post', path: string) => page.locator(`.opblock-${method}`).filter({ has: page.locator(`[data-path="${path}"]`) });

/** Try it out → Execute, and what the response panel shows: status code, body, header lines. */
async function execute(block: Locator, requestBody?: string): Promise<{ status: string; body: string; headers: string[] }> {
  if ((await block.getByRole('button', { name: 'Execute' }).count()) === 0) {
    if (!(await block.locator('.opblock-body').isVisible())) await block.locator('.opblock-summary').click();
    await block.getByRole('button', { name: 'Try it out' }).click();
  }
  if (requestBody !== undefined) await block.locator('textarea.body-param__text').fill(requestBody);
  const live = block.locator('.live-responses-table .response');
  // A previous answer is cleared first, so what is read below is this request's.
  if ((await live.count()) > 0) {
    await block.getByRole('button', { name: 'Clear' }).click();
    await live.waitFor({ state: 'detached' });
  }
  await block.getByRole('button', { name: 'Execute' }).click();
  await live.waitFor();
  const status = /^\s*(\d{3})/.exec((await live.locator('.response-col_status').textContent()) ?? '')?.[1] ?? 'none';
  const body = (await live.locator('h5:text-is("Response body") + * pre').textContent()) ?? '';
  const headers = (await live.locator('.headerline').allTextContents()).map((line) => line.trim());
  return { status, body, headers };
}

describe.skipIf(!executablePath)('Swagger UI in Chromium, signed in against the fake Entra ID', () => {
  it('signs in with PKCE for Data.Read, then gets 200 on GET and 403 insufficient_scope on POST', async () => {
    const { context, page } = await openDocs();
    try {
      const list = operation(page, 'get', '/api/entries');
      expect((await execute(list)).status).toBe('401');

      const signIns = () => environment.entra.requests.count((r) => r.endpoint === 'token' && r.grantType === 'authorization_code' && r.status === 200);
      const before = signIns();
      await authorize(page, 'Adele Vance', ['Data.Read']);
      expect(signIns()).toBe(before + 1);

      const listed = await execute(list);
      expect(listed.status).toBe('200');
      expect(JSON.parse(listed.body)).toEqual({ entries: expect.any(Array) });

      const refused = await execute(operation(page, 'post', '/api/entries'), '{"text":"Not allowed"}');
      expect(refused.status).toBe('403');
      expect(JSON.parse(refused.body)).toMatchObject({ error: 'insufficient_scope' });
      expect(refused.headers).toContainEqual(expect.stringMatching(/^www-authenticate: Bearer .*error="insufficient_scope".*scope="Data\.Write"/));
    } finally {
      await context.close();
    }
  }, 120_000);

  it('signs in with the scopes the user picks: with Data.Write too, POST adds an entry as that user', async () => {
    const { context, page } = await openDocs();
    try {
      await authorize(page, 'Bob Kelly', ['Data.Read', 'Data.Write']);
      const added = await execute(operation(page, 'post', '/api/entries'), '{"text":"From Swagger UI"}');
      expect(added.status).toBe('201');
      const bob = environment.entra.users.find((user) => user.name === 'Bob Kelly')!;
      expect(JSON.parse(added.body)).toEqual({ text: 'From Swagger UI', author: bob.objectId });
      const listed = await execute(operation(page, 'get', '/api/entries'));
      expect(listed.status).toBe('200');
      expect(JSON.parse(listed.body)).toEqual({ entries: expect.arrayContaining([{ text: 'From Swagger UI', author: bob.objectId }]) });
    } finally {
      await context.close();
    }
  }, 120_000);
});
