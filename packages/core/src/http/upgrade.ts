// WebSocket handshakes on Node's `upgrade` event (and servers that copy it, such as ws with
// `noServer`): verify before the handshake completes, answer 401/403 on the raw socket. Typed
// structurally, so nothing here imports node:* and core's shared path stays runtime-neutral.
import type { AuthRequirement } from '../rules/authorize.js';
import type { HttpErrorResponse } from './http-error.js';
import { checkRequirement, createRequestAuthenticator, requirementOf, type EntraAuthMiddlewareOptions } from './request-authenticator.js';
import type { VerifiedAccessToken } from '../token/verified-token.js';

/** The parts of Node's `IncomingMessage` an upgrade check reads (and `url`, which it rewrites). */
export interface UpgradeRequest {
  /** The request method (`GET` for a WebSocket handshake). */
  method?: string | undefined;
  /** Path and query; the query token is removed from it before `onUpgrade` runs. */
  url?: string | undefined;
  /** The request headers (lower-case names). */
  headers: Record<string, string | string[] | undefined>;
  /** Repeated headers kept apart (Node >= 18.3), so two Authorization headers are refused. */
  headersDistinct?: Record<string, string[] | undefined>;
}

/** The parts of the upgrade socket (a `net.Socket` / `stream.Duplex`) an upgrade check uses. */
export interface UpgradeSocket {
  /** Write the refusal and close the writable side. */
  end(chunk: string): unknown;
  /** Drop the connection. */
  destroy(): unknown;
  /** False once the socket cannot be written (the client went away). */
  readonly writable?: boolean;
  /** Listen for socket errors while the token is verified. */
  on(event: 'error', listener: (error: unknown) => void): unknown;
  /** Stop listening once the socket is handed over. */
  removeListener(event: 'error', listener: (error: unknown) => void): unknown;
}

/** Options of {@link entraUpgrade}: verifier options (or `{ verifier }`), `realm`, `queryToken`, and the requirement. */
export type EntraUpgradeOptions = Omit<EntraAuthMiddlewareOptions, 'authRequired' | 'forwardErrors'> & {
  /** What the token must carry to open the connection (scopes, roles, app permissions). */
  requirement?: AuthRequirement;
};

/** What runs once the token is verified: complete the handshake (e.g. `wss.handleUpgrade`). */
export type UpgradeHandler<Req extends UpgradeRequest, Socket extends UpgradeSocket, Head> = (request: Req, socket: Socket, head: Head, auth: VerifiedAccessToken) => void;

const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 500: 'Internal Server Error', 503: 'Service Unavailable' };

/** A complete HTTP/1.1 answer for a socket that never reached an HTTP response object. */
export function rawHttpResponse({ status, headers, body }: HttpErrorResponse): string {
  const json = JSON.stringify(body);
  const lines = [`HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}`, 'Connection: close', 'Content-Type: application/json', `Content-Length: ${new TextEncoder().encode(json).length}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n${json}`;
}

const ignore = () => {};

/**
 * A listener for Node's `upgrade` event: verify the token (the Authorization header, or the
 * `queryToken` parameter browsers must use for WebSockets), check the requirement, then call
 * `onUpgrade` to complete the handshake. A refusal is written to the raw socket (401, 403, 400
 * or 503 with the RFC 6750 challenge) and the socket is closed; `onUpgrade` never runs.
 *
 * ```ts
 * const wss = new WebSocketServer({ noServer: true });
 * server.on('upgrade', entraUpgrade({ tenant, clientId, queryToken: true, requirement: { scopes: ['Chat.Read'] } },
 *   (req, socket, head, auth) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req, auth))));
 * ```
 */
export function entraUpgrade<Req extends UpgradeRequest, Socket extends UpgradeSocket, Head>(options: EntraUpgradeOptions, onUpgrade: UpgradeHandler<Req, Socket, Head>): (request: Req, socket: Socket, head: Head) => void {
  if (typeof onUpgrade !== 'function') throw new TypeError('entra-verify: entraUpgrade() needs a function that completes the handshake, e.g. (req, socket, head, auth) => wss.handleUpgrade(...)');
  if (typeof options === 'object' && options !== null && ('authRequired' in options || 'forwardErrors' in options)) {
    throw new TypeError('entra-verify: entraUpgrade() always requires a token and answers on the socket itself: remove authRequired and forwardErrors');
  }
  const { requirement = {}, ...rest } = (options ?? {}) as EntraUpgradeOptions;
  requirementOf(requirement, 'entraUpgrade()');
  const authenticator = createRequestAuthenticator(rest as EntraAuthMiddlewareOptions);
  return function entraUpgradeListener(request, socket, head) {
    // Node removes its own error listener from upgrade sockets: a reset while verifying must not crash.
    socket.on('error', ignore);
    const { headers } = request;
    authenticator
      .authenticate({
        authorization: request.headersDistinct?.authorization ?? headers.authorization,
        url: request.url,
        method: request.method,
        upgrade: headers.upgrade,
        accept: headers.accept,
        rewriteUrl: (url) => {
          request.url = url;
        },
        request,
      })
      .then((auth) => checkRequirement(auth, requirement, request))
      .then(
        (auth) => {
          socket.removeListener('error', ignore);
          onUpgrade(request, socket, head, auth);
        },
        (error: unknown) => {
          if (socket.writable === false) {
            socket.destroy();
            return;
          }
          socket.end(rawHttpResponse(authenticator.respond(error)));
        },
      );
  };
}
