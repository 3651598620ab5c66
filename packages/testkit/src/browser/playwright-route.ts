// The browser transport: a Playwright browser context sends its requests for the fake's hosts
// (https://login.microsoftonline.com/...) to the fake in this process, so an app under test keeps
// its production authority and needs no TLS set-up. Typed by shape, so the testkit does not depend
// on Playwright: any object with Playwright's `route(predicate, handler)` works.

/** The part of a Playwright `Request` the transport reads. */
export interface BrowserRouteRequest {
  /** Full URL. */
  url(): string;
  /** HTTP method. */
  method(): string;
  /** Every request header, cookies included. */
  allHeaders(): Promise<Record<string, string>>;
  /** The body, for POST. */
  postData(): string | null;
}

/** The part of a Playwright `Route` the transport uses. */
export interface BrowserRoute {
  /** The intercepted request. */
  request(): BrowserRouteRequest;
  /** Answers it. */
  fulfill(response: { status: number; headers: Record<string, string>; body: string }): Promise<void>;
}

/** A Playwright `BrowserContext` (or `Page`): what `entra.routeBrowser(context)` needs. */
export interface BrowserRouteTarget {
  /** Playwright's `route(url, handler)`. */
  route(url: (url: URL) => boolean, handler: (route: BrowserRoute) => Promise<void>): Promise<unknown>;
}

export async function routeBrowser(
  target: BrowserRouteTarget,
  servesOrigin: (origin: string) => boolean,
  handle: (request: Request, origin: string) => Promise<Response>,
): Promise<void> {
  await target.route(
    (url) => servesOrigin(url.origin),
    async (route) => {
      const intercepted = route.request();
      const url = new URL(intercepted.url());
      const method = intercepted.method();
      const headers = new Headers();
      for (const [name, value] of Object.entries(await intercepted.allHeaders())) if (!name.startsWith(':')) headers.set(name, value);
      const body = method === 'GET' || method === 'HEAD' ? undefined : (intercepted.postData() ?? '');
      const response = await handle(new Request(url, { method, headers, ...(body === undefined ? {} : { body }) }), url.origin);
      const answer: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        answer[name] = value;
      });
      await route.fulfill({ status: response.status, headers: answer, body: await response.text() });
    },
  );
}
