// Certificate-bound tokens over real mutual TLS (Node only: @hono/node-server hands the socket over in env.incoming): the middleware reads the client certificate from
// the TLS socket and the token is accepted only with the certificate it is bound to.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createServer } from 'node:https';
import { describeMutualTls } from '../../../test-support/mutual-tls-suite.js';
import { entraAuth, type EntraAuthVariables } from '../src/index.js';

describeMutualTls('Hono (@hono/node-server)', (options, tls) => {
  const app = new Hono<{ Variables: EntraAuthVariables }>();
  app.use('*', entraAuth(options));
  app.get('/me', (c) => c.json({ oid: c.get('auth').principal.objectId }));
  return serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1', createServer, serverOptions: tls });
});
