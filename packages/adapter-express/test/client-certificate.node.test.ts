// Certificate-bound tokens over real mutual TLS: the middleware reads the client certificate from
// the TLS socket and the token is accepted only with the certificate it is bound to.
import express from 'express';
import { createServer } from 'node:https';
import { describeMutualTls } from '../../../test-support/mutual-tls-suite.js';
import { entraAuth } from '../src/index.js';

describeMutualTls('Express', (options, tls) => {
  const app = express();
  app.use(entraAuth(options));
  app.get('/me', (req, res) => res.json({ oid: req.auth!.principal.objectId }));
  return createServer(tls, app).listen(0, '127.0.0.1');
});
