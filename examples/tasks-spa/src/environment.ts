// The SPA, the tasks API and a fake Entra ID, wired as the app registrations would be in a tenant:
// an API exposing Tasks.ReadWrite, and a public client whose redirect URI is registered as `spa`.
import { listenOnLoopback, type RunningServer } from '@entra-verify/example-support';
import { createTasksApi } from '@entra-verify/example-tasks-api';
import { createFakeEntra, type FakeEntra, type FakeEntraOptions } from '@entra-verify/testkit';
import { createServer } from 'node:http';
import { startSpaServer, type SpaServer } from './spa-server.js';

export interface TasksSpaEnvironment {
  entra: FakeEntra;
  spa: SpaServer;
  api: RunningServer;
  close(): Promise<void>;
}

export interface TasksSpaOptions {
  /** Fake Entra options beyond the registrations (users, autoSignIn, consent). */
  entra?: Pick<FakeEntraOptions, 'users' | 'autoSignIn' | 'consent'>;
  /** Where the API fetches key sets from: the fake in-process (tests) or its loopback server (demo). */
  keySetFetch?: (entra: FakeEntra) => Promise<typeof fetch>;
  /** The demo's loopback authority (see app/loopback-authority.ts). */
  authorityRewrite?: (entra: FakeEntra) => Promise<{ from: string; to: string }>;
  spaPort?: number;
}

export async function startTasksSpaEnvironment(options: TasksSpaOptions = {}): Promise<TasksSpaEnvironment> {
  const spa = await startSpaServer(options.spaPort);
  const redirectUri = `${spa.url}/`;
  const entra = await createFakeEntra({
    apis: [{ identifierUri: 'api://tasks', scopes: ['Tasks.ReadWrite'] }],
    clientApps: [{ displayName: 'Tasks SPA', clientSecret: null, redirectUris: { spa: [redirectUri] } }],
    users: [{ givenName: 'Adele' }, { givenName: 'Bob', familyName: 'Kelly' }],
    ...options.entra,
  });
  const keySetFetch = options.keySetFetch ? await options.keySetFetch(entra) : entra.fetch;
  const app = createTasksApi({ auth: { tenant: entra.tenantId, clientId: entra.api.appId, fetch: keySetFetch }, corsOrigin: spa.url });
  const api = await listenOnLoopback(createServer(app.callback()));
  spa.setConfig({
    clientId: entra.clientApp.clientId,
    authority: entra.authority(),
    redirectUri,
    apiBaseUrl: api.url,
    apiScopes: [`${entra.api.identifierUri}/Tasks.ReadWrite`],
    ...(options.authorityRewrite ? { authorityRewrite: await options.authorityRewrite(entra) } : {}),
  });
  return {
    entra,
    spa,
    api,
    close: async () => {
      await Promise.all([spa.close(), api.close()]);
    },
  };
}
