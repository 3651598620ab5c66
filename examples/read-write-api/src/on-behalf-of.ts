// The middle tier's half of the on-behalf-of flow: @azure/msal-node exchanges the caller's token
// (whose `aud` is this API) for a token to the downstream API, for the same user.
import { ConfidentialClientApplication, type INetworkModule } from '@azure/msal-node';

export interface OnBehalfOfOptions {
  /** This API's application (client) id: the middle tier is a confidential client too. */
  clientId: string;
  clientSecret: string;
  authority: string;
  /** The downstream API's scopes, e.g. `api://downstream/caller.read`. */
  scopes: string[];
  networkClient?: INetworkModule;
}

/** Returns a function that turns the caller's access token into one for the downstream API. */
export function onBehalfOf(options: OnBehalfOfOptions): (userToken: string) => Promise<string> {
  const app = new ConfidentialClientApplication({
    auth: { clientId: options.clientId, clientSecret: options.clientSecret, authority: options.authority },
    ...(options.networkClient ? { system: { networkClient: options.networkClient } } : {}),
  });
  return async (userToken) => {
    const result = await app.acquireTokenOnBehalfOf({ oboAssertion: userToken, scopes: options.scopes });
    if (!result?.accessToken) throw new Error('The on-behalf-of exchange returned no access token');
    return result.accessToken;
  };
}
