// `request.auth` and the `config.entra` route option, by declaration merging (Fastify 4 and 5).
import type { AuthRequirement, VerifiedAccessToken } from '@entra-verify/core';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified Entra access token; undefined on anonymous requests (`authRequired: false`) and outside the plugin's scope. */
    auth?: VerifiedAccessToken;
  }
  interface FastifyContextConfig {
    /** What this route's token must carry, enforced in preHandler (and described in OpenAPI when the plugin has `openapi`). */
    entra?: AuthRequirement;
  }
}

export {};
