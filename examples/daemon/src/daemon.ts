// The daemon: no user, no browser. It asks Entra for `api://<api>/.default`, which yields every
// app permission an admin granted it (in `roles`), then calls the API.
import { ConfidentialClientApplication, type INetworkModule } from '@azure/msal-node';

export interface DaemonOptions {
  clientId: string;
  clientSecret: string;
  authority: string;
  /** The API's Application ID URI; the daemon requests `${apiIdentifier}/.default`. */
  apiIdentifier: string;
  apiUrl: string;
  networkClient?: INetworkModule;
}

export interface DaemonCall {
  request: string;
  status: number;
  body: unknown;
  challenge: string | null;
}

export async function runDaemon(options: DaemonOptions): Promise<DaemonCall[]> {
  const msal = new ConfidentialClientApplication({
    auth: { clientId: options.clientId, clientSecret: options.clientSecret, authority: options.authority },
    ...(options.networkClient ? { system: { networkClient: options.networkClient } } : {}),
  });
  const result = await msal.acquireTokenByClientCredential({ scopes: [`${options.apiIdentifier}/.default`] });
  if (!result?.accessToken) throw new Error('client credentials returned no access token');
  const calls: DaemonCall[] = [];
  for (const [method, path] of [['GET', '/reports'], ['POST', '/reports/rebuild']] as const) {
    const response = await fetch(`${options.apiUrl}${path}`, { method, headers: { authorization: `Bearer ${result.accessToken}` } });
    calls.push({ request: `${method} ${path}`, status: response.status, body: await response.json(), challenge: response.headers.get('www-authenticate') });
  }
  return calls;
}
