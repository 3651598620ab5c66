export { entraAuth, requireAuth, requireScopes, requireRoles, hideQueryToken } from './entra-auth.js';
export type { EntraFastifyOptions, EntraGuard } from './entra-auth.js';
export type { AuthRequirement, EntraAuthMiddlewareOptions, EntraOpenApi, VerifiedAccessToken } from '@entra-verify/core';
export { createEntraOpenApi } from '@entra-verify/core';
import './types.js';
