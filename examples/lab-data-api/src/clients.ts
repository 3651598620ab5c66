// How real clients get tokens for the Lab API with @azure/msal-node. The optional networkClient
// is the only difference between a run against Entra and one against the fake.
import { ConfidentialClientApplication, PublicClientApplication, type INetworkModule } from '@azure/msal-node';

export interface DeviceCodeClientOptions {
  clientId: string;
  authority: string;
  /** e.g. `api://<api-client-id>/Data.Read` */
  scopes: string[];
  onPrompt?: (message: string) => void;
  networkClient?: INetworkModule;
}

export async function acquireDeviceCodeToken(options: DeviceCodeClientOptions): Promise<string> {
  const app = new PublicClientApplication({
    auth: { clientId: options.clientId, authority: options.authority },
    ...(options.networkClient ? { system: { networkClient: options.networkClient } } : {}),
  });
  const result = await app.acquireTokenByDeviceCode({
    scopes: options.scopes,
    deviceCodeCallback: (response) => options.onPrompt?.(response.message),
  });
  if (!result?.accessToken) throw new Error('The device-code flow returned no access token');
  return result.accessToken;
}

export interface DaemonClientOptions {
  clientId: string;
  clientSecret: string;
  authority: string;
  /** `api://<api-client-id>/.default`: every app permission the daemon was granted. */
  scope: string;
  networkClient?: INetworkModule;
}

export async function acquireDaemonToken(options: DaemonClientOptions): Promise<string> {
  const app = new ConfidentialClientApplication({
    auth: { clientId: options.clientId, clientSecret: options.clientSecret, authority: options.authority },
    ...(options.networkClient ? { system: { networkClient: options.networkClient } } : {}),
  });
  const result = await app.acquireTokenByClientCredential({ scopes: [options.scope] });
  if (!result?.accessToken) throw new Error('The client-credentials flow returned no access token');
  return result.accessToken;
}
