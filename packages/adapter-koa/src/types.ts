// `ctx.state.auth` typed on every Koa context.
import type { VerifiedAccessToken } from '@entra-verify/core';

declare module 'koa' {
  interface DefaultState {
    /** The verified Entra access token; undefined only on anonymous requests (`authRequired: false`). */
    auth?: VerifiedAccessToken;
  }
}

export {};
