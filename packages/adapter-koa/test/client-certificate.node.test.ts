// Certificate-bound tokens over real mutual TLS: the middleware reads the client certificate from
// the TLS socket and the token is accepted only with the certificate it is bound to.
import Koa from 'koa';
import { createServer } from 'node:https';
import { describeMutualTls } from '../../../test-support/mutual-tls-suite.js';
import { entraAuth } from '../src/index.js';

describeMutualTls('Koa', (options, tls) => {
  const app = new Koa();
  app.use(entraAuth(options));
  app.use((ctx) => {
    ctx.body = { oid: ctx.state.auth!.principal.objectId };
  });
  return createServer(tls, app.callback()).listen(0, '127.0.0.1');
});
