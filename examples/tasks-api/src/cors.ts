// CORS for one browser origin. It runs before authentication: preflight requests carry no token,
// and 401/403 answers need the CORS headers too or the browser hides them from the front end.
import type { Middleware } from 'koa';

export function cors(origin: string): Middleware {
  return async function corsMiddleware(ctx, next) {
    ctx.vary('Origin');
    if (ctx.get('origin') !== origin) return next();
    ctx.set('Access-Control-Allow-Origin', origin);
    ctx.set('Access-Control-Expose-Headers', 'WWW-Authenticate, Retry-After');
    if (ctx.method === 'OPTIONS' && ctx.get('access-control-request-method')) {
      ctx.set('Access-Control-Allow-Methods', 'GET, POST, PATCH, DELETE');
      ctx.set('Access-Control-Allow-Headers', 'Authorization, Content-Type');
      ctx.set('Access-Control-Max-Age', '600');
      ctx.status = 204;
      return;
    }
    await next();
  };
}
