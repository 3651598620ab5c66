// Reading an OAuth `scope` parameter the way Entra does: one resource per request, named by its
// Application ID URI or appId, plus the OpenID Connect scopes.
import type { FakeApi } from './directory.js';

export const GRAPH_RESOURCE = 'https://graph.microsoft.com';

export const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

export interface ParsedScopeRequest {
  /** The resource part, e.g. `api://1234` or a bare appId; undefined when only OIDC scopes were asked. */
  resource: string | undefined;
  /** Short scope names on that resource (`Data.Read`, `.default`). */
  scopes: string[];
  oidc: string[];
}

export function parseScopeRequest(scope: string): ParsedScopeRequest | { error: string } {
  const parsed: ParsedScopeRequest = { resource: undefined, scopes: [], oidc: [] };
  for (const item of scope.split(' ').filter(Boolean)) {
    if (OIDC_SCOPES.has(item)) {
      parsed.oidc.push(item);
      continue;
    }
    const cut = item.lastIndexOf('/');
    // A bare scope such as User.Read is a Microsoft Graph permission, as in Entra.
    const resource = cut > 0 ? item.slice(0, cut) : GRAPH_RESOURCE;
    const name = cut > 0 ? item.slice(cut + 1) : item;
    if (parsed.resource && parsed.resource !== resource) {
      return { error: `Scopes for more than one resource were requested: '${parsed.resource}' and '${resource}'.` };
    }
    parsed.resource = resource;
    parsed.scopes.push(name);
  }
  return parsed;
}

export function findApi(apis: readonly FakeApi[], resource: string): FakeApi | undefined {
  const wanted = resource.toLowerCase();
  return apis.find((api) => api.appId.toLowerCase() === wanted || api.identifierUri.toLowerCase() === wanted);
}
