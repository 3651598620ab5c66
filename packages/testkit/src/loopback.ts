// listen() for every fake: serve a handler on 127.0.0.1, and a fetch that keeps production URLs
// but sends requests for the fake's hosts over that socket.
import type { ListeningFakeEntra } from './fake-entra.js';
import type { FetchLike } from './portable-types.js';

interface LoopbackServerModule {
  startLoopbackServer(
    handler: (request: Request, origin: string) => Promise<Response>,
    options: { port?: number },
  ): Promise<Omit<ListeningFakeEntra, 'fetch'>>;
}

export async function listenOnLoopback(
  handle: (request: Request, origin: string) => Promise<Response>,
  servesOrigin: (origin: string) => boolean,
  options: { port?: number },
): Promise<ListeningFakeEntra> {
  // Loaded only when asked for, so the rest of the testkit runs where node:http does not exist.
  const specifier: string = './node/loopback-server.js';
  const server = (await import(specifier)) as LoopbackServerModule;
  const listening = await server.startLoopbackServer(handle, options);
  const loopbackFetch: FetchLike = (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (!servesOrigin(url.origin)) return fetch(request);
    return fetch(new Request(`${listening.url}${url.pathname}${url.search}`, request));
  };
  return { ...listening, fetch: loopbackFetch };
}
