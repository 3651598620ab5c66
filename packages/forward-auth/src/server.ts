// The HTTP service: /verify (and Envoy's prefix) for proxies, /healthz, /readyz and /metrics for
// operators. A reload builds a new handler beside the running one and swaps it in only once it
// is ready; requests already in flight finish on the handler they started with, which is closed
// after the last of them. Shutdown stops accepting, lets requests in flight finish (up to the
// grace period), then closes every connection.
import type { FetchLike } from '@entra-verify/core';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ForwardAuthConfigError } from './config.js';
import { createForwardAuthHandler, type ForwardAuthHandler } from './forward-auth-handler.js';
import type { ForwardAuthSettings } from './load-config.js';
import { createJsonLogger, type ForwardAuthLogger } from './logger.js';
import { ForwardAuthMetrics } from './metrics.js';

/** Options of {@link createForwardAuthServer}. */
export interface ForwardAuthServerOptions {
  /** The configuration to start with (see loadConfig). */
  settings: ForwardAuthSettings;
  /** Reads the configuration again, for {@link ForwardAuthServer.reload} (the command re-reads its file). */
  reload?: () => Promise<ForwardAuthSettings>;
  /** Key-set fetches go through this. Default `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Where logs go. Default: JSON lines on stdout at the configured level. */
  logger?: ForwardAuthLogger;
}

/** A running (or ready to run) forward-auth service. */
export interface ForwardAuthServer {
  /** The node:http server. */
  readonly server: Server;
  /** The metrics it renders on /metrics. */
  readonly metrics: ForwardAuthMetrics;
  /** The configuration in use. */
  readonly settings: ForwardAuthSettings;
  /** Listen (default: the configured host and port); resolves to `http://host:port`. */
  listen(port?: number, host?: string): Promise<string>;
  /** Load the configuration again and swap it in once its keys are loaded. Resolves to whether it was applied. */
  reload(): Promise<boolean>;
  /** Stop accepting, finish requests in flight (up to the grace period), close. */
  shutdown(): Promise<void>;
}

interface Generation {
  handler: ForwardAuthHandler;
  inFlight: number;
  ready: boolean;
  retired: boolean;
}

const RETRY_MAX_MS = 30_000;

/** Build the service for a configuration. It starts loading signing keys at once. */
export function createForwardAuthServer(options: ForwardAuthServerOptions): ForwardAuthServer {
  const metrics = new ForwardAuthMetrics();
  const logger = options.logger ?? createJsonLogger(options.settings.logLevel);
  const context = { logger, metrics, ...(options.fetch ? { fetch: options.fetch } : {}) };
  let inFlight = 0;
  let stopping = false;
  let drained: (() => void) | undefined;

  const start = (settings: ForwardAuthSettings): Generation => ({ handler: createForwardAuthHandler(settings, context), inFlight: 0, ready: false, retired: false });
  const retire = (generation: Generation) => {
    generation.retired = true;
    if (generation.inFlight === 0) generation.handler.close();
  };
  let current = start(options.settings);

  /** Load keys until they are loaded (readiness), retrying with backoff while the generation is current. */
  async function warmUntilReady(generation: Generation): Promise<void> {
    for (let delay = 1000; !generation.retired && !stopping; delay = Math.min(delay * 2, RETRY_MAX_MS)) {
      try {
        await generation.handler.verifier.warm();
        generation.ready = true;
        if (generation === current) metrics.ready = true;
        logger.log('info', 'ready: signing keys loaded', { config: generation.handler.settings.source });
        return;
      } catch (error) {
        logger.log('warn', 'signing keys not loaded yet; retrying', { error: error instanceof Error ? error.message : String(error), retryInMs: delay });
      }
      await new Promise((resolve) => setTimeout(resolve, delay).unref());
    }
  }
  void warmUntilReady(current);

  function answer(res: ServerResponse, status: number, headers: Record<string, string>, body: string) {
    res.writeHead(status, { 'cache-control': 'no-store', ...(body ? { 'content-type': headers['content-type'] ?? 'application/json' } : {}), ...headers, 'content-length': String(Buffer.byteLength(body)) });
    res.end(body);
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse) {
    const url = req.url ?? '/';
    const path = url.split('?', 1)[0];
    if ((req.method === 'GET' || req.method === 'HEAD') && (path === '/healthz' || path === '/readyz' || path === '/metrics')) {
      if (path === '/healthz') return answer(res, 200, { 'content-type': 'text/plain' }, stopping ? 'stopping\n' : 'ok\n');
      if (path === '/readyz') return current.ready && !stopping ? answer(res, 200, { 'content-type': 'text/plain' }, 'ready\n') : answer(res, 503, { 'content-type': 'text/plain' }, stopping ? 'stopping\n' : 'signing keys not loaded\n');
      return answer(res, 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }, metrics.render());
    }
    const generation = current;
    if (!generation.handler.handles(url)) {
      return answer(res, 404, {}, JSON.stringify({ error: 'not_found', error_description: 'Proxies call /verify (nginx, Caddy, Traefik, ingress-nginx) or the Envoy path prefix.' }));
    }
    generation.inFlight++;
    try {
      const result = await generation.handler.handle({ method: req.method, url, headers: req.headersDistinct });
      metrics.request(result.outcome, result.code, result.status);
      answer(res, result.status, result.headers, result.body);
    } finally {
      generation.inFlight--;
      if (generation.retired && generation.inFlight === 0) generation.handler.close();
    }
  }

  // Tokens may be up to core's 32 KiB default; Node's default header limit is 16 KiB.
  const server = createServer({ maxHeaderSize: 64 * 1024, keepAliveTimeout: 65_000 }, (req, res) => {
    inFlight++;
    onRequest(req, res)
      .catch((error: unknown) => {
        logger.log('error', 'request failed', { error: error instanceof Error ? error.message : String(error) });
        if (!res.headersSent) answer(res, 500, {}, JSON.stringify({ error: 'server_error', error_description: 'The server could not process the request.' }));
        else res.destroy();
      })
      .finally(() => {
        inFlight--;
        if (inFlight === 0) drained?.();
      });
  });

  return {
    server,
    metrics,
    get settings() {
      return current.handler.settings;
    },
    listen(port, host) {
      const listen = current.handler.settings.listen;
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port ?? listen.port, host ?? listen.host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
          logger.log('info', 'listening', { url, config: current.handler.settings.source, proxy: current.handler.settings.proxy });
          resolve(url);
        });
      });
    },
    async reload() {
      if (!options.reload || stopping) return false;
      let settings: ForwardAuthSettings;
      try {
        settings = await options.reload();
      } catch (error) {
        metrics.reload('rejected');
        const problems = error instanceof ForwardAuthConfigError ? error.problems : [error instanceof Error ? error.message : String(error)];
        logger.log('error', 'reload rejected: the configuration has problems; the running one stays', { problems });
        return false;
      }
      const running = current.handler.settings.listen;
      if (settings.listen.host !== running.host || settings.listen.port !== running.port) logger.log('warn', 'listen address changes apply at the next restart', { running, configured: settings.listen });
      const next = start(settings);
      try {
        await next.handler.verifier.warm();
        next.ready = true;
      } catch (error) {
        if (current.ready) {
          next.retired = true;
          next.handler.close();
          metrics.reload('rejected');
          logger.log('error', 'reload rejected: the new configuration\'s signing keys could not be loaded; the running one stays (send SIGHUP again)', { error: error instanceof Error ? error.message : String(error) });
          return false;
        }
        void warmUntilReady(next);
      }
      const previous = current;
      current = next;
      metrics.ready = next.ready;
      retire(previous);
      metrics.reload('applied');
      logger.log('info', 'configuration reloaded', { config: settings.source, routes: settings.routes.routes.length });
      return true;
    },
    async shutdown() {
      if (stopping) return;
      stopping = true;
      metrics.ready = false;
      logger.log('info', 'shutting down: finishing requests in flight', { inFlight });
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = current.handler.settings.shutdownGraceSeconds * 1000;
      if (inFlight > 0) {
        await Promise.race([new Promise<void>((resolve) => (drained = resolve)), new Promise((resolve) => setTimeout(resolve, grace).unref())]);
      }
      server.closeAllConnections();
      await closed;
      retire(current);
      logger.log('info', 'stopped');
    },
  };
}
