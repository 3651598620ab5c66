// For `npm run demo:spa` in your own browser only. MSAL requires an https authority, and a browser
// you start yourself is not routed by Playwright; so the demo keeps the production authority and
// MSAL's two documented extension points (system.navigationClient and system.networkClient) send
// the sign-in pages and token requests to the fake Entra ID on loopback instead. Tests never use it.
import { NavigationClient, type INetworkModule, type NavigationOptions, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-browser';

export function loopbackAuthority(rewrite: { from: string; to: string }) {
  const map = (url: string) => (url.startsWith(rewrite.from) ? rewrite.to + url.slice(rewrite.from.length) : url);

  class LoopbackNavigation extends NavigationClient {
    override navigateExternal(url: string, options: NavigationOptions): Promise<boolean> {
      return super.navigateExternal(map(url), options);
    }
  }

  const send = async <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    const response = await fetch(map(url), { method, headers: options?.headers ?? {}, ...(method === 'POST' ? { body: options?.body ?? '' } : {}) });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { headers, body: (await response.json()) as T, status: response.status };
  };
  const networkClient: INetworkModule = {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
  return { navigationClient: new LoopbackNavigation(), networkClient };
}
