// `req.auth` on every Express Request (Express 4 and 5 share the global Express namespace).
import type { VerifiedAccessToken } from '@entra-verify/core';

declare global {
  namespace Express {
    interface Request {
      /** The verified Entra access token; undefined only on anonymous requests (`authRequired: false`). */
      auth?: VerifiedAccessToken;
    }
  }
}

export {};
