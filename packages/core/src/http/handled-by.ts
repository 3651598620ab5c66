// Which entraAuth handled a request, kept on the framework's per-request object (Express `req`,
// Koa `ctx`, Hono's Context) under a symbol of core's: route guards find their middleware's
// authenticator there, and a second entraAuth learns that another one came first. A property
// costs a few ns a request; a WeakMap entry cost about 200 ns with its garbage collection.
import type { RequestAuthenticator } from './request-authenticator.js';

const HANDLED_BY = Symbol('entra-verify.handledBy');
type Carrier = { [HANDLED_BY]?: RequestAuthenticator };

/**
 * Record that `authenticator` handles this request. True when another entraAuth handled it before:
 * if this one then finds the request anonymous, the identity that one set (perhaps from a query
 * token it took out of the URL, perhaps for another API) must not pass for this one's.
 */
export function markHandledBy(request: object, authenticator: RequestAuthenticator): boolean {
  const earlier = (request as Carrier)[HANDLED_BY];
  (request as Carrier)[HANDLED_BY] = authenticator;
  return earlier !== undefined && earlier !== authenticator;
}

/** The authenticator of the entraAuth that last handled this request, for its route guards. */
export function handlerOf(request: object): RequestAuthenticator | undefined {
  return (request as Carrier)[HANDLED_BY];
}
