// The HTTP matrix: each framework bare, with one no-op middleware, and with an authentication
// middleware, on loopback.
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
  /** Targets of one framework are compared with its bare row and its one-no-op-middleware row. */
  framework: 'Express' | 'Koa' | 'Hono' | 'Fastify';
  /**
   * bare: the route alone; noop: one middleware that only passes the request on; entra: our
   * adapter; peer: another library; twin: a second no-op server made alike (the A/A check).
   */
  kind: 'bare' | 'noop' | 'entra' | 'peer' | 'twin';
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

/**
 * Each framework bare, with one no-op middleware (the floor any middleware can reach: Hono, for
 * one, skips its middleware chain when there is none), with `entraAuth`, and Express with two
 * other libraries. Every route answers `{"ok":true}`.
 */
export function httpTargets(fixtures: Fixtures, passportMetadataUrl: string | undefined): HttpTarget[] {
  const options = { tenant: fixtures.entra.tenantId, clientId: fixtures.audience, fetch: fixtures.server.fetch };
  const route = (app: express.Express) => app.get('/data', (_req, res) => void res.json(payload));
  const withBearer = express().use(oauth2JwtBearer({ issuer: fixtures.issuer, audience: fixtures.audience, jwksUri: fixtures.jwksUri, issuerBaseURL: `${fixtures.server.url}/${fixtures.entra.tenantId}/v2.0` }));
  const targets: HttpTarget[] = [
    { name: 'Express (bare)', framework: 'Express', kind: 'bare', server: createServerFor(route(express())) },
    { name: 'Express + no-op middleware', framework: 'Express', kind: 'noop', server: createServerFor(route(express().use((_req, _res, next) => next()))) },
    { name: 'Express + entraAuth', framework: 'Express', kind: 'entra', server: createServerFor(route(express().use(expressEntraAuth(options)))) },
    { name: 'Express + express-oauth2-jwt-bearer', framework: 'Express', kind: 'peer', server: createServerFor(route(withBearer)) },
  ];
  if (passportMetadataUrl) {
    const strategy = new BearerStrategy(
      { identityMetadata: passportMetadataUrl, clientID: fixtures.audience, audience: fixtures.audience, validateIssuer: true, issuer: fixtures.issuer, loggingLevel: 'error', loggingNoPII: true },
      (token: unknown, done: (error: unknown, user?: unknown) => void) => done(null, token),
    );
    const instance = new passport.Passport();
    instance.use(strategy as never);
    const withPassport = express().use(instance.initialize()).get('/data', instance.authenticate('oauth-bearer', { session: false }), (_req, res) => void res.json(payload));
    targets.push({ name: 'Express + passport-azure-ad', framework: 'Express', kind: 'peer', server: createServerFor(withPassport) });
  }
  const koaRoute = (app: Koa) => app.use((ctx) => void (ctx.body = payload)).callback();
  targets.push({ name: 'Koa (bare)', framework: 'Koa', kind: 'bare', server: createServerFor(koaRoute(new Koa())) });
  targets.push({ name: 'Koa + no-op middleware', framework: 'Koa', kind: 'noop', server: createServerFor(koaRoute(new Koa().use(async (_ctx, next) => void (await next())))) });
  targets.push({ name: 'Koa + entraAuth', framework: 'Koa', kind: 'entra', server: createServerFor(koaRoute(new Koa().use(koaEntraAuth(options)))) });
  // Typed loosely: each app's environment type differs (entraAuth adds its variables).
  const honoServer = (app: object) => createAdaptorServer({ fetch: (app as Hono).get('/data', (c) => c.json(payload)).fetch }) as Server;
  targets.push({ name: 'Hono (bare)', framework: 'Hono', kind: 'bare', server: honoServer(new Hono()) });
  const honoNoop = () =>
    honoServer(
      new Hono().use(async (_c, next) => {
        await next();
      }),
    );
  targets.push({ name: 'Hono + no-op middleware', framework: 'Hono', kind: 'noop', server: honoNoop() });
  // The A/A check: the same app again, as its own server; it differs from the row above by noise only.
  targets.push({ name: 'Hono + no-op middleware, a second server made alike (the A/A check)', framework: 'Hono', kind: 'twin', server: honoNoop() });
  targets.push({ name: 'Hono + entraAuth', framework: 'Hono', kind: 'entra', server: honoServer(new Hono().use(honoEntraAuth(options))) });
  const bareFastify = Fastify().get('/data', async () => payload);
  const noopFastify = Fastify();
  noopFastify.addHook('onRequest', (_request, _reply, done) => done());
  noopFastify.get('/data', async () => payload);
  const fastifyEntra = Fastify();
  void fastifyEntra.register(fastifyEntraAuth, options);
  fastifyEntra.after(() => fastifyEntra.get('/data', async () => payload));
  targets.push({ name: 'Fastify (bare)', framework: 'Fastify', kind: 'bare', server: fastifyServer(bareFastify) });
  targets.push({ name: 'Fastify + no-op onRequest hook', framework: 'Fastify', kind: 'noop', server: fastifyServer(noopFastify) });
  targets.push({ name: 'Fastify + entraAuth', framework: 'Fastify', kind: 'entra', server: fastifyServer(fastifyEntra) });
  return targets;
}

export async function listen(server: Server): Promise<string> {
  await readyBeforeListen.get(server)?.();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/data`;
}
