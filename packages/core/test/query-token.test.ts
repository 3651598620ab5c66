import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { acceptsQueryToken, createRequestAuthenticator, rawHttpResponse, takeQueryToken, type EntraAuthMiddlewareOptions } from '../src/index.js';

let entra: FakeEntra;
beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{ scopes: ['Events.Read'] }] });
});

describe('takeQueryToken', () => {
  it('takes the one parameter out and keeps the others byte for byte', () => {
    expect(takeQueryToken('/e?a=1&access_token=abc.def.ghi&b=%20x', 'access_token')).toEqual({ token: 'abc.def.ghi', url: '/e?a=1&b=%20x' });
    expect(takeQueryToken('/e?access_token=t', 'access_token')).toEqual({ token: 't', url: '/e' });
    expect(takeQueryToken('http://h/e?access_token=t&x#frag', 'access_token')).toEqual({ token: 't', url: 'http://h/e?x#frag' });
    expect(takeQueryToken('/e?token=t', 'access_token')).toEqual({ token: undefined, url: '/e?token=t' });
    expect(takeQueryToken('/e', 'access_token')).toEqual({ token: undefined, url: '/e' });
    expect(takeQueryToken('/e?access_token', 'access_token')).toEqual({ token: '', url: '/e' });
  });

  it('finds a percent-encoded name and decodes the value', () => {
    expect(takeQueryToken('/e?access%5Ftoken=a%2Eb&k=v', 'access_token')).toEqual({ token: 'a.b', url: '/e?k=v' });
  });

  it('refuses the parameter twice as two sets of credentials', () => {
    expect(() => takeQueryToken('/e?access_token=a&access_token=b', 'access_token')).toThrow(expect.objectContaining({ code: 'invalid_request' }) as Error);
  });

  it('stays linear on hostile queries', () => {
    const hostile = `/e?${'a&'.repeat(200_000)}${'b'.repeat(100_000)}`;
    const started = performance.now();
    expect(takeQueryToken(hostile, 'access_token').token).toBeUndefined();
    expect(acceptsQueryToken({ method: 'GET', accept: `${'x,'.repeat(200_000)};${'y'.repeat(100_000)}` })).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('acceptsQueryToken', () => {
  it('accepts WebSocket upgrades and event streams on GET only', () => {
    expect(acceptsQueryToken({ method: 'GET', upgrade: 'websocket' })).toBe(true);
    expect(acceptsQueryToken({ method: 'GET', upgrade: 'WebSocket' })).toBe(true);
    expect(acceptsQueryToken({ method: 'GET', accept: 'text/event-stream' })).toBe(true);
    expect(acceptsQueryToken({ method: 'GET', accept: 'application/json, Text/Event-Stream;q=0.9' })).toBe(true);
    expect(acceptsQueryToken({ method: 'GET', accept: ['text/html', 'text/event-stream'] })).toBe(true);
    expect(acceptsQueryToken({ method: 'POST', accept: 'text/event-stream' })).toBe(false);
    expect(acceptsQueryToken({ method: 'GET', upgrade: 'h2c' })).toBe(false);
    expect(acceptsQueryToken({ method: 'GET', accept: 'text/event-streams' })).toBe(false);
    expect(acceptsQueryToken({ method: 'GET', accept: '*/*' })).toBe(false);
    expect(acceptsQueryToken({ method: 'GET' })).toBe(false);
  });
});

describe('createRequestAuthenticator({ queryToken })', () => {
  const make = (extra: Partial<EntraAuthMiddlewareOptions> = {}) => createRequestAuthenticator({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, queryToken: true, ...extra } as EntraAuthMiddlewareOptions);
  const stream = { method: 'GET', accept: 'text/event-stream' };

  it('verifies the query token on an event stream and hands back the URL without it, before verifying', async () => {
    const token = await entra.mint();
    const seen: string[] = [];
    const auth = await make().authenticate({ authorization: undefined, url: `/events?x=1&access_token=${token}`, ...stream, rewriteUrl: (url) => seen.push(url) });
    expect(auth?.principal.objectId).toBe(entra.user.objectId);
    expect(seen).toEqual(['/events?x=1']);
    const refused: string[] = [];
    await expect(make().authenticate({ authorization: undefined, url: `/events?access_token=${token}x`, ...stream, rewriteUrl: (url) => refused.push(url) })).rejects.toMatchObject({ status: 401 });
    expect(refused).toEqual(['/events']);
  });

  it('uses the named parameter only; access_token stays refused beside it', async () => {
    const token = await entra.mint();
    const authenticator = make({ queryToken: 'ticket' });
    expect(authenticator.queryToken).toBe('ticket');
    await expect(authenticator.authenticate({ authorization: undefined, url: `/ws?ticket=${token}`, method: 'GET', upgrade: 'websocket' })).resolves.toBeDefined();
    await expect(authenticator.authenticate({ authorization: undefined, url: `/ws?access_token=${token}`, method: 'GET', upgrade: 'websocket' })).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('answers 400 for the parameter on any other request, for an empty one, and beside a header', async () => {
    const token = await entra.mint();
    const seen: string[] = [];
    await expect(make().authenticate({ authorization: undefined, url: `/me?access_token=${token}`, method: 'GET', accept: 'application/json', rewriteUrl: (url) => seen.push(url) })).rejects.toMatchObject({ code: 'invalid_request', status: 400 });
    expect(seen).toEqual(['/me']); // out of the logs even when refused
    await expect(make().authenticate({ authorization: undefined, url: `/events?access_token=${token}`, method: 'POST', accept: 'text/event-stream' })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(make().authenticate({ authorization: undefined, url: '/events?access_token=', ...stream })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(make().authenticate({ authorization: `Bearer ${token}`, url: `/events?access_token=${token}`, ...stream })).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('is off by default: the query token is a 400 even on event streams', async () => {
    const token = await entra.mint();
    const off = make({ queryToken: undefined });
    expect(off.queryToken).toBeUndefined();
    await expect(off.authenticate({ authorization: undefined, url: `/events?access_token=${token}`, ...stream })).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('a missing token on a qualifying request is still missing, and authRequired: false lets it through', async () => {
    await expect(make().authenticate({ authorization: undefined, url: '/events', ...stream })).rejects.toMatchObject({ code: 'missing_token' });
    await expect(make({ authRequired: false }).authenticate({ authorization: undefined, url: '/events', ...stream })).resolves.toBeUndefined();
  });

  it('checks the option at creation', () => {
    for (const bad of ['', 'a b', 'tok%65n', 'x'.repeat(65), 7, {}]) expect(() => make({ queryToken: bad as string })).toThrow(TypeError);
    expect(make({ queryToken: false }).queryToken).toBeUndefined();
    expect(make({ queryToken: 'sse.ticket-1_~' }).queryToken).toBe('sse.ticket-1_~');
  });
});

describe('rawHttpResponse', () => {
  it('writes a complete HTTP/1.1 answer with the challenge', () => {
    const text = rawHttpResponse({ status: 403, headers: { 'www-authenticate': 'Bearer error="insufficient_scope"' }, body: { error: 'insufficient_scope', error_description: 'No.' } });
    expect(text).toBe('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 56\r\nwww-authenticate: Bearer error="insufficient_scope"\r\n\r\n{"error":"insufficient_scope","error_description":"No."}');
  });
});
