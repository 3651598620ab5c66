// Over real HTTP, for every adapter: a token the middleware has already verified twice (so the
// result cache holds it and the adapter's synchronous path answers) gets the same answers as on
// the full path: two Authorization headers and a token in the query are still 400, a header past
// Node's header limit is not read, a guard still 403s, and once the token expires it is 401, not a
// stale 200.
import type { FakeEntra } from '@entra-verify/testkit';
import { request } from 'node:http';
import { expect } from 'vitest';

/** An app serving `/data` behind requireScopes('Data.Read') and `/admin` behind requireRoles('Admin'), with this clock; returns its base URL. */
export type StartWithClock = (now: () => number) => Promise<string>;

/**
 * GET with headers as given, repeated names kept apart (fetch would join them). Headers given as
 * a list get no Host from Node, and HTTP/1.1 without Host is a 400 before any app runs: it is added.
 */
function rawGet(url: string, headers: Array<[string, string]>): Promise<number> {
  const list = [['host', new URL(url).host], ...headers].flat();
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: list as unknown as Record<string, string> }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

export async function expectCachedTokenAnswers(start: StartWithClock, entra: FakeEntra): Promise<void> {
  let now = Date.now();
  const url = await start(() => now);
  const token = await entra.mint({ scopes: ['Data.Read'], issuedAt: Math.floor(now / 1000), expiresIn: 600 });
  const bearer: [string, string] = ['authorization', `Bearer ${token}`];
  // The first two verify in full (the cache admits a token at its second verification); then hits.
  for (let i = 0; i < 4; i++) expect(await rawGet(`${url}/data`, [bearer])).toBe(200);
  expect(await rawGet(`${url}/data`, [bearer, bearer])).toBe(400);
  // Past Node's header limit (maxHeadersCount, 1,000), a header is in rawHeaders only: the app
  // never sees it, so neither may the middleware, and a second copy there is still a second copy.
  const fillers = Array.from({ length: 1000 }, (_, i): [string, string] => [`x-filler-${i}`, `${i}`]);
  expect(await rawGet(`${url}/data`, [...fillers, bearer])).toBe(401);
  expect(await rawGet(`${url}/data`, [bearer, ...fillers.slice(1), ['authorization', 'Bearer x']])).toBe(400);
  expect(await rawGet(`${url}/data?access_token=${token}`, [bearer])).toBe(400);
  expect(await rawGet(`${url}/data?x=1&%61ccess_token=${token}`, [bearer])).toBe(400);
  expect(await rawGet(`${url}/data`, [['authorization', `bearer ${token}`]])).toBe(200);
  expect(await rawGet(`${url}/admin`, [bearer])).toBe(403);
  now += 601_000 + 300_000;
  expect(await rawGet(`${url}/data`, [bearer])).toBe(401);
}
