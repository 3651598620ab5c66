export { entraAuth, requireAuth, requireScopes, requireRoles } from './entra-auth.js';
export type { EntraAuthEnv, EntraAuthVariables, EntraAuthVariablesFor, OptionalEntraAuthVariables } from './entra-auth.js';
export type { AuthRequirement, EntraAuthMiddlewareOptions, VerifiedAccessToken } from '@entra-verify/core';
