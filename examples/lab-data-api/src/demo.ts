// `npm run demo`: the whole flow on one machine with no tenant and no network. A fake Entra ID
// and the Lab API run on loopback ports; @azure/msal-node acquires real tokens from the fake
// (device code and client credentials); each request and answer is printed, and the run exits
// 0 only if every answer was the expected one.
import type { EntraVerifierEvent } from '@entra-verify/core';
import { listenOnLoopback, startFakeEntraEnvironment } from '@entra-verify/example-support';
import type { FakeEntra } from '@entra-verify/testkit';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createLabApi } from './app.js';
import { acquireDaemonToken, acquireDeviceCodeToken } from './clients.js';
import { labRegistration } from './registration.js';

interface Step {
  title: string;
  /** How the token was obtained, shown before the request. */
  via?: string;
  token?: () => Promise<string>;
  expectStatus: number;
}

/** A one-line description of a token, so the transcript never prints a credential. */
function describeToken(token: string): string {
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  const parts = [`v${claims.ver === '1.0' ? 1 : 2} token`];
  if (claims.scp) parts.push(`scp "${String(claims.scp)}"`);
  if (Array.isArray(claims.roles)) parts.push(`roles ${JSON.stringify(claims.roles)}`);
  if (claims.aud === '00000003-0000-0000-c000-000000000000') parts.push('aud Microsoft Graph');
  if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now()) parts.push(`expired ${Math.round((Date.now() / 1000 - claims.exp) / 60)} min ago`);
  return `<${parts.join(', ')}>`;
}

function steps(entra: FakeEntra, onPrompt: (message: string) => void): Step[] {
  const api = entra.api.identifierUri;
  const [daemon, cli, unprivileged] = entra.clientApps as [typeof entra.clientApp, typeof entra.clientApp, typeof entra.clientApp];
  const networkClient = entra.msalNetworkClient();
  const authority = entra.authority();
  const deviceCode = (scopes: string[]) => () => acquireDeviceCodeToken({ clientId: cli.clientId, authority, scopes, onPrompt, networkClient });
  const clientCredentials = (client: typeof daemon) => () =>
    acquireDaemonToken({ clientId: client.clientId, clientSecret: client.clientSecret!, authority, scope: `${api}/.default`, networkClient });
  return [
    { title: 'No token', expectStatus: 401 },
    { title: `${entra.user.name} signs in with the device code flow`, via: `PublicClientApplication.acquireTokenByDeviceCode, scope ${api}/Data.Read`, token: deviceCode([`${api}/Data.Read`]), expectStatus: 200 },
    { title: 'A daemon with the Data.Read.All app permission', via: `ConfidentialClientApplication.acquireTokenByClientCredential, scope ${api}/.default`, token: clientCredentials(daemon), expectStatus: 200 },
    { title: 'A user token without Data.Read', via: `device code, scope ${api}/Data.Write`, token: deviceCode([`${api}/Data.Write`]), expectStatus: 403 },
    { title: 'A daemon that holds no app permission', via: `client credentials, scope ${api}/.default`, token: clientCredentials(unprivileged), expectStatus: 401 },
    { title: 'An expired token', via: 'minted by the fake Entra ID, expired an hour ago', token: () => entra.mint({ issuedAt: Math.floor(Date.now() / 1000) - 7200 }), expectStatus: 401 },
    { title: 'A Microsoft Graph token sent to the API by mistake', via: 'device code, scope User.Read (a Graph permission)', token: deviceCode(['User.Read']), expectStatus: 401 },
  ];
}

export async function runDemo(print: (line: string) => void = console.log): Promise<boolean> {
  const environment = await startFakeEntraEnvironment(labRegistration);
  const { entra } = environment;
  const refusals: EntraVerifierEvent[] = [];
  const api = await listenOnLoopback(createServer(createLabApi({ ...environment.verifier, logger: false, onEvent: (event) => event.type === 'token_rejected' && refusals.push(event) })));
  let passed = 0;
  try {
    print('entra-verify demo: a fake Entra ID, the Lab API and @azure/msal-node clients, all on this machine');
    print(`  fake Entra ID  ${environment.server.url}  (serves ${entra.cloud.authorityHost} for tenant ${entra.tenantId})`);
    print(`  Lab API        ${api.url}  (Express + @entra-verify/express; GET /data needs Data.Read or Data.Read.All)`);
    const list = steps(entra, (message) => print(`   msal: ${message}`));
    for (const [index, step] of list.entries()) {
      print('');
      print(`${index + 1}. ${step.title}`);
      if (step.via) print(`   via ${step.via}`);
      const token = step.token ? await step.token() : undefined;
      const seen = refusals.length;
      const response = await fetch(`${api.url}/data`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
      print(`   → GET /data${token ? `   Authorization: Bearer ${describeToken(token)}` : ''}`);
      print(`   ← ${response.status} ${response.statusText}`);
      const challenge = response.headers.get('www-authenticate');
      if (challenge) print(`     WWW-Authenticate: ${challenge}`);
      print(`     ${JSON.stringify(await response.json())}`);
      for (const event of refusals.slice(seen)) if (event.type === 'token_rejected') print(`   server log: ${event.code}: ${event.hint}`);
      const ok = response.status === step.expectStatus;
      if (ok) passed++;
      print(`   ${ok ? '✓' : '✗'} expected ${step.expectStatus}${ok ? '' : `, got ${response.status}`}`);
    }
    print('');
    print(`${passed} of ${list.length} answers as expected.`);
    return passed === list.length;
  } finally {
    await api.close();
    await environment.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runDemo().then(
    (ok) => {
      process.exitCode = ok ? 0 : 1;
    },
    (error: unknown) => {
      console.error('demo failed:', error);
      process.exitCode = 1;
    },
  );
}
