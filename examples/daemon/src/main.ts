// `npm start`: run the daemon. Against a real tenant (TENANT_ID, DAEMON_CLIENT_ID, …) it calls
// API_URL; without one it starts the fake Entra ID and the Reports API locally first.
import { listenOnLoopback, startEntraEnvironment } from '@entra-verify/example-support';
import { createServer } from 'node:http';
import { runDaemon, type DaemonOptions } from './daemon.js';
import { createReportsApi } from './reports-api.js';
import { reportsRegistration } from './registration.js';

const environment = await startEntraEnvironment(reportsRegistration);
const api = process.env.API_URL ? undefined : await listenOnLoopback(createServer(createReportsApi(environment.verifier)));
try {
  const options: DaemonOptions =
    environment.kind === 'fake'
      ? {
          clientId: environment.entra.clientApp.clientId,
          clientSecret: environment.entra.clientApp.clientSecret!,
          authority: environment.entra.authority(),
          apiIdentifier: environment.entra.api.identifierUri,
          apiUrl: api!.url,
          networkClient: environment.entra.msalNetworkClient(),
        }
      : {
          clientId: process.env.DAEMON_CLIENT_ID ?? '',
          clientSecret: process.env.DAEMON_CLIENT_SECRET ?? '',
          authority: `https://login.microsoftonline.com/${process.env.TENANT_ID}`,
          apiIdentifier: `api://${process.env.API_CLIENT_ID}`,
          apiUrl: process.env.API_URL ?? api!.url,
        };
  for (const call of await runDaemon(options)) {
    console.log(`${call.request} → ${call.status}${call.challenge ? `  (WWW-Authenticate: ${call.challenge})` : ''}`);
    console.log(`  ${JSON.stringify(call.body)}`);
  }
} finally {
  await api?.close();
  await environment.close();
}
