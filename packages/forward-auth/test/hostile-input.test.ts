// Everything read before verification is attacker text: the proxy's description of the request
// and the policy reader's input. Each must cost time linear in its length.
import { describe, expect, it } from 'vitest';
import { compileRoutes, selectRoute } from '../src/routes.js';
import { readOriginalRequest } from '../src/original-request.js';
import { parseXml } from '../src/xml-reader.js';

const timed = (work: () => unknown) => {
  const started = performance.now();
  try {
    work();
  } catch {
    // refusals are fine; only the time matters here
  }
  return performance.now() - started;
};

describe('hostile input', () => {
  const routes = compileRoutes([{ pathPrefix: '/public', public: true }, { host: '*.example.com', pathPrefix: '/a/b', methods: ['GET'], require: {} }]);

  it('routes 8 KiB paths of slashes, dots and percent signs in linear time', () => {
    for (const path of ['/'.repeat(8190) + 'a', '/..'.repeat(2730), '/%2e%2e'.repeat(1170), '/public' + '%2f'.repeat(2700), '/' + '%'.repeat(8000)]) {
      const ms = timed(() => selectRoute(routes, readOriginalRequest({ 'x-forwarded-uri': [path], 'x-forwarded-method': ['GET'], 'x-forwarded-host': ['a.example.com'] }, 'auto')));
      expect(ms, path.slice(0, 12)).toBeLessThan(50);
    }
  });

  it('refuses what it cannot read instead of guessing', () => {
    expect(() => readOriginalRequest({ 'x-forwarded-uri': ['/'.repeat(9000)], 'x-forwarded-method': ['GET'] }, 'auto')).toThrow(/too long/);
    expect(() => readOriginalRequest({ 'x-forwarded-uri': ['/x'], 'x-forwarded-method': ['G E T'] }, 'auto')).toThrow(/invalid method/);
    expect(() => readOriginalRequest({ 'x-forwarded-uri': ['/x'], 'x-forwarded-method': ['GET'], 'x-forwarded-host': ['evil.com/x'] }, 'auto')).toThrow(/invalid host/);
    expect(() => readOriginalRequest({ 'x-original-url': ['javascript:alert(1)'], 'x-original-method': ['GET'] }, 'ingress-nginx')).toThrow(/request URI is invalid/);
  });

  it('reads a megabyte of hostile XML in linear time', () => {
    for (const text of ['<a'.repeat(500_000), `<a>${'&amp;'.repeat(200_000)}</a>`, `<a b="${'>'.repeat(1_000_000 - 10)}"/>`, '<a>'.repeat(64) + '</a>'.repeat(64), `<a>${'<!--x-->'.repeat(130_000)}</a>`]) {
      expect(timed(() => parseXml(text)), text.slice(0, 10)).toBeLessThan(500);
    }
    expect(() => parseXml('<a>'.repeat(65))).toThrow(/nested more than 64 deep/);
    expect(() => parseXml('<a b="1" b="2"/>')).toThrow(/appears twice/);
    expect(parseXml('<?xml version="1.0"?>\n<p a=\'&lt;&#65;&#x42;\'><![CDATA[<raw>]]>t</p>')).toMatchObject({ name: 'p', attributes: new Map([['a', '<AB']]), text: '<raw>t' });
  });
});
