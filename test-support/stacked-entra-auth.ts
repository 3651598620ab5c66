// Over real HTTP, for every adapter: two entraAuth on one app, the outer (optional, queryToken)
// for everything and accepting the tokens of APIs X and Y, the inner (optional) for /y and API Y
// only. The outer takes a query token out of the URL, so the inner sees an anonymous request: the
// outer's identity (a token for X) must not pass for the inner's there, where a guard would
// otherwise accept a token issued for another API.
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import type { EntraAuthMiddlewareOptions } from '@entra-verify/core';
import { expect } from 'vitest';

/**
 * The app: entraAuth(outer) for every path; entraAuth(inner) for /y/*; GET /y/data behind the
 * inner's requireScopes('Data.Read'), answering 200 with the token's aud as text. Returns the base URL.
 */
export type StartStacked = (outer: EntraAuthMiddlewareOptions, inner: EntraAuthMiddlewareOptions) => Promise<string>;

/** A fake Entra with two APIs, X and Y, each with the scope Data.Read. */
export const twoApis = (): Promise<FakeEntra> => createFakeEntra({ apis: [{ scopes: ['Data.Read'] }, { scopes: ['Data.Read'] }] });

export async function expectInnerJudgesAlone(start: StartStacked, entra: FakeEntra): Promise<void> {
  const [apiX, apiY] = entra.apis as [FakeEntra['api'], FakeEntra['api']];
  const base = { tenant: entra.tenantId, fetch: entra.fetch, authRequired: false };
  const url = await start({ ...base, audience: [apiX.appId, apiY.appId], queryToken: true }, { ...base, clientId: apiY.appId });
  const forX = await entra.mint({ api: apiX.appId, scopes: ['Data.Read'] });
  const forY = await entra.mint({ api: apiY.appId, scopes: ['Data.Read'] });
  // In the header, each middleware judges the token itself: Y's passes both, X's is refused by the inner.
  for (const accept of ['application/json', 'text/event-stream']) {
    const y = await fetch(`${url}/y/data`, { headers: { authorization: `Bearer ${forY}`, accept } });
    expect(y.status).toBe(200);
    expect(await y.text()).toBe(apiY.appId);
  }
  expect((await fetch(`${url}/y/data`, { headers: { authorization: `Bearer ${forX}` } })).status).toBe(401);
  // In the query of an event stream, the outer accepts X's token and cuts it out of the URL; the
  // inner sees no credentials, so the guard under it has no identity: 401, never X's 200 (three
  // times, so the result cache holds the token by the last).
  for (let i = 0; i < 3; i++) {
    const fromQuery = await fetch(`${url}/y/data?access_token=${forX}`, { headers: { accept: 'text/event-stream' } });
    expect(fromQuery.status).toBe(401);
    expect(await fromQuery.text()).not.toContain(apiX.appId);
  }
}
