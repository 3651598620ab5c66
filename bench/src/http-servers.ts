// The HTTP matrix: each framework bare, then with an authentication middleware, on loopback.
import { entraAuth as expressEntraAuth } from '@entra-verify/express';
import { entraAuth as fastifyEntraAuth } from '@entra-verify/fastify';
import { entraAuth as honoEntraAuth } from '@entra-verify/hono';
import { entraAuth as koaEntraAuth } from '@entra-verify/koa';
import { createAdaptorServer } from '@hono/node-server';
import express from 'express';
import { auth as oauth2JwtBearer } from 'express-oauth2-jwt-bearer';
import Fastify, { type FastifyInstance } from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import { createServer as createServerFor, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import passport from 'passport';
import { BearerStrategy } from 'passport-azure-ad';
import type { Fixtures } from './fixtures.js';

export interface HttpTarget {
  name: string;
  /** The bare framework this one is compared with. */
  baseline: string;
  server: Server;
}

const payload = { ok: true };

/** Fastify loads its plugins on ready(): listen() waits for it before the server takes requests. */
const readyBeforeListen = new WeakMap<Server, () => Promise<unknown>>();
function fastifyServer(app: FastifyInstance): Server {
  readyBeforeListen.set(app.server, async () => {
    await app.ready();
  });
  return app.server;
}

export function httpTargets(fixtures: Fixtures, passportMetadataUrl: string | undefined): HttpTarget[] {
  const options = { tenant: fixtures.entra.tenantId, clientId: fixtures.audience, fetch: fixtures.server.fetch };
  const bareExpress = express().get('/data', (_req, res) => void res.json(payload));
  const withEntra = express().use(expressEntraAuth(options)).get('/data', (_req, res) => void res.json(payload));
  const withBearer = express()
    .use(oauth2JwtBearer({ issuer: fixtures.issuer, audience: fixtures.audience, jwksUri: fixtures.jwksUri, issuerBaseURL: `${fixtures.server.url}/${fixtures.entra.tenantId}/v2.0` }))
    .get('/data', (_req, res) => void res.json(payload));
  const targets: HttpTarget[] = [
    { name: 'Express (bare)', baseline: 'Express (bare)', server: createServerFor(bareExpress) },
    { name: 'Express + entraAuth', baseline: 'Express (bare)', server: createServerFor(withEntra) },
    { name: 'Express + express-oauth2-jwt-bearer', baseline: 'Express (bare)', server: createServerFor(withBearer) },
  ];
  if (passportMetadataUrl) {
    const strategy = new BearerStrategy(
      { identityMetadata: passportMetadataUrl, clientID: fixtures.audience, audience: fixtures.audience, validateIssuer: true, issuer: fixtures.issuer, loggingLevel: 'error', loggingNoPII: true },
      (token: unknown, done: (error: unknown, user?: unknown) => void) => done(null, token),
    );
    const instance = new passport.Passport();
    instance.use(strategy as never);
    const withPassport = express().use(instance.initialize()).get('/data', instance.authenticate('oauth-bearer', { session: false }), (_req, res) => void res.json(payload));
    targets.push({ name: 'Express + passport-azure-ad', baseline: 'Express (bare)', server: createServerFor(withPassport) });
  }
  const bareKoa = new Koa().use((ctx) => void (ctx.body = payload));
  const koaEntra = new Koa().use(koaEntraAuth(options)).use((ctx) => void (ctx.body = payload));
  targets.push({ name: 'Koa (bare)', baseline: 'Koa (bare)', server: createServerFor(bareKoa.callback()) });
  targets.push({ name: 'Koa + entraAuth', baseline: 'Koa (bare)', server: createServerFor(koaEntra.callback()) });
  const bareHono = new Hono().get('/data', (c) => c.json(payload));
  const honoEntra = new Hono().use(honoEntraAuth(options)).get('/data', (c) => c.json(payload));
  targets.push({ name: 'Hono (bare)', baseline: 'Hono (bare)', server: createAdaptorServer({ fetch: bareHono.fetch }) as Server });
  targets.push({ name: 'Hono + entraAuth', baseline: 'Hono (bare)', server: createAdaptorServer({ fetch: honoEntra.fetch }) as Server });
  const bareFastify = Fastify().get('/data', async () => payload);
  const fastifyEntra = Fastify();
  void fastifyEntra.register(fastifyEntraAuth, options);
  fastifyEntra.after(() => fastifyEntra.get('/data', async () => payload));
  targets.push({ name: 'Fastify (bare)', baseline: 'Fastify (bare)', server: fastifyServer(bareFastify) });
  targets.push({ name: 'Fastify + entraAuth', baseline: 'Fastify (bare)', server: fastifyServer(fastifyEntra) });
  return targets;
}

export async function listen(server: Server): Promise<string> {
  await readyBeforeListen.get(server)?.();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/data`;
}
