// Envoy and Traefik are not packaged for this machine, so their side is checked against the
// requests they send, recorded byte for byte from their documentation and source:
// - Traefik forwardAuth: GET to `address`, the client's headers, and X-Forwarded-For/-Method/
//   -Proto/-Port/-Host/-Uri (pkg/middlewares/auth/forward.go, writeHeader; doc.traefik.io
//   middlewares/http/forwardauth "Forward-Request Headers").
// - Envoy ext_authz, HTTP service: the original method, path_prefix + the original path and query,
//   the original Host, Content-Length 0 without with_request_body, and the allowed headers
//   (Authorization among the defaults) (api/envoy/extensions/filters/http/ext_authz/v3/ext_authz.proto).
// - ingress-nginx auth-url: GET, X-Original-URL/-Method, X-Sent-From, X-Auth-Request-Redirect
//   (rootfs/etc/nginx/template/nginx.tmpl in kubernetes/ingress-nginx).
// nginx and Caddy themselves run in examples/gateway's end-to-end tests.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeEntra, startService, verifierFor, type Fixture, type Service } from './support.js';

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Send `lines` as one HTTP/1.1 request over a socket and read the answer. */
async function raw(url: string, lines: string[]): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  const text = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
    socket.write(`${[...lines, 'Connection: close'].join('\r\n')}\r\n\r\n`);
  });
  const [head = '', body = ''] = text.split('\r\n\r\n');
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

const routes = [
  { host: 'admin.example.com', require: { roles: ['Admin'] } },
  { pathPrefix: '/public', public: true },
  { pathPrefix: '/orders', methods: ['POST'], require: { scopes: ['Orders.Write'] } },
];

describe('requests as each proxy sends them', () => {
  let fixture: Fixture;
  let auto: Service;
  beforeAll(async () => {
    fixture = await fakeEntra();
    auto = await startService(fixture, { verifier: verifierFor(fixture.entra), routes, defaultRoute: { require: { scopes: ['Orders.Read'] } } });
  });
  afterAll(async () => {
    await auto.close();
    await fixture.close();
  });

  const traefik = (token: string, method: string, uri: string, host = 'api.example.com') => [
    'GET /verify HTTP/1.1',
    'Host: forward-auth:8080',
    'User-Agent: curl/8.5.0',
    'Accept: */*',
    `Authorization: Bearer ${token}`,
    'X-Forwarded-For: 10.0.0.7',
    `X-Forwarded-Host: ${host}`,
    `X-Forwarded-Method: ${method}`,
    'X-Forwarded-Port: 443',
    'X-Forwarded-Proto: https',
    `X-Forwarded-Uri: ${uri}`,
    'Accept-Encoding: gzip',
  ];
  const envoy = (token: string, method: string, uri: string, host = 'api.example.com') => [
    `${method} /envoy${uri} HTTP/1.1`,
    `host: ${host}`,
    `authorization: Bearer ${token}`,
    'content-length: 0',
    'x-forwarded-proto: https',
    'x-request-id: 2cbd2bad-8298-4e75-af98-c9301b7ba061',
    'x-envoy-expected-rq-timeout-ms: 200',
    'x-envoy-internal: true',
  ];
  const ingressNginx = (token: string, method: string, uri: string, host = 'api.example.com') => [
    'GET /verify HTTP/1.1',
    'Host: forward-auth.auth.svc.cluster.local',
    'X-Request-ID: 0bb3a5a1c1e4b1f7c0f6d3a2e9b8c7d6',
    `X-Original-URL: https://${host}${uri}`,
    `X-Original-Method: ${method}`,
    'X-Sent-From: nginx-ingress-controller',
    'X-Real-IP: 10.0.0.7',
    'X-Forwarded-For: 10.0.0.7',
    `X-Auth-Request-Redirect: ${uri}`,
    `Authorization: Bearer ${token}`,
  ];

  for (const [proxy, request] of [['Traefik', traefik], ['Envoy', envoy], ['ingress-nginx', ingressNginx]] as const) {
    describe(proxy, () => {
      it('lets a valid request through with the identity headers', async () => {
        const { entra } = fixture;
        const response = await raw(auto.url, request(await entra.mint({ scopes: ['Orders.Read'] }), 'GET', '/orders/42?expand=lines'));
        expect(response.status).toBe(200);
        expect(response.headers).toMatchObject({
          'x-entra-object-id': entra.user.objectId,
          'x-entra-tenant-id': entra.tenantId,
          'x-entra-client-app-id': entra.clientApp.clientId,
          'x-entra-scopes': 'Orders.Read',
          'x-entra-roles': '',
          'x-entra-authority': entra.issuer(2),
        });
      });

      it('applies the route of the original method, path and host', async () => {
        const readOnly = await fixture.entra.mint({ scopes: ['Orders.Read'] });
        const post = await raw(auto.url, request(readOnly, 'POST', '/orders?x=1'));
        expect(post.status).toBe(403);
        expect(post.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", error_description="The token lacks the scope this operation requires.", scope="Orders.Write"');
        expect(JSON.parse(post.body)).toEqual({ error: 'insufficient_scope', error_description: 'The token lacks the scope this operation requires.' });
        expect((await raw(auto.url, request(readOnly, 'GET', '/x', 'ADMIN.example.com:443'))).status).toBe(403);
        const open = await raw(auto.url, request('', 'GET', '/public/status').filter((line) => !line.toLowerCase().startsWith('authorization')));
        expect(open.status).toBe(200);
        expect(open.headers['x-entra-object-id']).toBe('');
      });

      it('answers a missing token with a bare challenge', async () => {
        const response = await raw(auto.url, request('', 'GET', '/orders').filter((line) => !line.toLowerCase().startsWith('authorization')));
        expect(response.status).toBe(401);
        expect(response.headers['www-authenticate']).toBe('Bearer');
      });
    });
  }

  it('refuses a path whose decoded form selects another route', async () => {
    const response = await raw(auto.url, traefik('', 'GET', '/public/..%2Forders').filter((line) => !line.startsWith('Authorization')));
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).error).toBe('invalid_request');
    // Plain dot segments are resolved the way the backend will: /public/../orders is /orders.
    expect((await raw(auto.url, traefik('', 'GET', '/public/../orders').filter((line) => !line.startsWith('Authorization')))).status).toBe(401);
    expect((await raw(auto.url, traefik('', 'GET', '//public//status').filter((line) => !line.startsWith('Authorization')))).status).toBe(200);
  });

  it('refuses when the two header families disagree (auto), and reads only the configured one otherwise', async () => {
    const spoof = ['X-Original-URI: /public/x', 'X-Original-Method: GET'];
    const lines = [...traefik('', 'POST', '/orders').filter((line) => !line.startsWith('Authorization')), ...spoof];
    const ambiguous = await raw(auto.url, lines);
    expect(ambiguous.status).toBe(400);
    expect(auto.logs.some((line) => line.includes('describe different requests'))).toBe(true);
    const pinned = await startService(fixture, { proxy: 'traefik', verifier: verifierFor(fixture.entra), routes });
    try {
      expect((await raw(pinned.url, lines)).status).toBe(401);
    } finally {
      await pinned.close();
    }
  });

  it('refuses a description sent twice, and a proxy that sends none when routes need one', async () => {
    const twice = await raw(auto.url, [...traefik('', 'GET', '/public/a'), 'X-Forwarded-Uri: /orders'].filter((line) => !line.startsWith('Authorization')));
    expect(twice.status).toBe(400);
    const none = await raw(auto.url, ['GET /verify HTTP/1.1', 'Host: forward-auth']);
    expect(none.status).toBe(400);
    expect(auto.logs.at(-1)).toContain('proxy_set_header X-Original-URI');
  });

  it('answers 404 to anything but /verify, the Envoy prefix and the operations endpoints', async () => {
    expect((await raw(auto.url, ['GET /orders HTTP/1.1', 'Host: x'])).status).toBe(404);
  });
});
