// The tasks SPA: @azure/msal-browser signs the user in (auth code flow with PKCE, by redirect),
// renews access tokens silently with the refresh token, and signs out; the page lists, adds,
// completes and deletes the user's tasks through the tasks API.
import { CacheLookupPolicy, InteractionRequiredAuthError, PublicClientApplication, type AccountInfo, type Configuration } from '@azure/msal-browser';
import type { SpaConfig } from './config.js';
import { loopbackAuthority } from './loopback-authority.js';
import { TasksClient, type Task } from './tasks-client.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = (text: string) => {
  $('status').textContent = text;
};

const config = (await (await fetch('/config.json')).json()) as SpaConfig;
const msalConfig: Configuration = {
  auth: { clientId: config.clientId, authority: config.authority, redirectUri: config.redirectUri, postLogoutRedirectUri: config.redirectUri },
  cache: { cacheLocation: 'sessionStorage' },
  ...(config.authorityRewrite ? { system: loopbackAuthority(config.authorityRewrite) } : {}),
};
const msal = new PublicClientApplication(msalConfig);
await msal.initialize();

let account: AccountInfo | null = null;

async function accessToken(): Promise<string> {
  if (!account) throw new Error('not signed in');
  try {
    // The cache, then the refresh token; no hidden iframe, so a broken refresh shows at once.
    const result = await msal.acquireTokenSilent({ scopes: config.apiScopes, account, cacheLookupPolicy: CacheLookupPolicy.AccessTokenAndRefreshToken });
    return result.accessToken;
  } catch (error) {
    if (error instanceof InteractionRequiredAuthError) status(`Your session has ended (${error.errorCode}). Sign in again.`);
    throw error;
  }
}

const tasks = new TasksClient(config.apiBaseUrl, accessToken);

function renderTasks(list: Task[]): void {
  const ul = $('tasks');
  ul.replaceChildren(
    ...list.map((task) => {
      const li = document.createElement('li');
      li.dataset.taskId = task.id;
      li.classList.toggle('done', task.done);
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = task.done;
      box.setAttribute('aria-label', `Done: ${task.title}`);
      box.addEventListener('change', () => void run(() => tasks.complete(task.id, box.checked)));
      const title = document.createElement('span');
      title.className = 'title';
      title.textContent = task.title;
      const remove = document.createElement('button');
      remove.textContent = 'Delete';
      remove.setAttribute('aria-label', `Delete ${task.title}`);
      remove.addEventListener('click', () => void run(() => tasks.remove(task.id)));
      li.append(box, title, remove);
      return li;
    }),
  );
  ul.dataset.loaded = String(Date.now());
}

/** Runs a change, then shows the list as the API has it. */
async function run(change?: () => Promise<unknown>): Promise<void> {
  try {
    if (change) await change();
    renderTasks(await tasks.list());
    status('');
  } catch (error) {
    if (!$('status').textContent) status(error instanceof Error ? error.message : String(error));
  }
}

function show(signedIn: boolean): void {
  $('signed-in').hidden = !signedIn;
  $('signed-out').hidden = signedIn;
  $('user-name').textContent = account ? `${account.name ?? ''} (${account.username})` : '';
}

$('sign-in').addEventListener('click', () => void msal.loginRedirect({ scopes: config.apiScopes }));
$('sign-out').addEventListener('click', () => void msal.logoutRedirect({ account }));
$('reload').addEventListener('click', () => void run());
$<HTMLFormElement>('add-task').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $<HTMLInputElement>('new-task');
  const title = input.value;
  input.value = '';
  void run(() => tasks.add(title));
});

try {
  const result = await msal.handleRedirectPromise();
  if (result?.account) msal.setActiveAccount(result.account);
  account = msal.getActiveAccount() ?? msal.getAllAccounts()[0] ?? null;
} catch (error) {
  status(`Sign-in failed: ${error instanceof Error ? error.message : String(error)}`);
}
show(account !== null);
if (account) await run();
document.body.dataset.ready = 'true';
