// A network module for @azure/msal-node: MSAL's requests go to the fake's fetch handler instead
// of the internet. Structurally typed, so the testkit does not depend on msal-node.

import type { FetchLike } from './portable-types.js';

/** A response as MSAL's network module returns it. */
export interface MsalNetworkResponse<T> {
  /** Response headers, lower-case names. */
  headers: Record<string, string>;
  /** The parsed JSON body. */
  body: T;
  /** HTTP status. */
  status: number;
}

/** A request as MSAL hands it to its network module. */
export interface MsalNetworkRequestOptions {
  /** Request headers. */
  headers?: Record<string, string>;
  /** Form-encoded body (POST). */
  body?: string;
}

/** Matches MSAL's `INetworkModule`; pass it as `system: { networkClient }`. */
export interface MsalNetworkModule {
  /** GET (discovery, instance metadata). */
  sendGetRequestAsync<T>(url: string, options?: MsalNetworkRequestOptions, timeout?: number): Promise<MsalNetworkResponse<T>>;
  /** POST (the token and device-code endpoints). */
  sendPostRequestAsync<T>(url: string, options?: MsalNetworkRequestOptions): Promise<MsalNetworkResponse<T>>;
}

export function createMsalNetworkClient(fetchHandler: FetchLike): MsalNetworkModule {
  const send = async <T>(method: 'GET' | 'POST', url: string, options: MsalNetworkRequestOptions = {}, timeout?: number) => {
    const response = await fetchHandler(url, {
      method,
      headers: options.headers ?? {},
      ...(method === 'POST' ? { body: options.body ?? '' } : {}),
      ...(timeout ? { signal: AbortSignal.timeout(timeout) } : {}),
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const text = await response.text();
    // MSAL expects a parsed JSON body, even for errors (it reads `error` and `error_codes`).
    const body = (text ? JSON.parse(text) : {}) as T;
    return { headers, body, status: response.status };
  };
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
