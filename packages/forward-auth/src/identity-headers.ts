// The verified identity, as headers the proxy copies onto the upstream request. Every configured
// header is sent on every 2xx, empty when there is nothing to say (anonymous, no roles): proxies
// that copy only the headers present (Envoy's allowed_upstream_headers, Caddy from 2.9 until the
// GHSA-7r4p-vjf4-gxv4 fix) would otherwise let a client's own copy through to the backend.
import type { VerifiedAccessToken } from '@entra-verify/core';
import type { IdentityField } from './config.js';

/** Default header names. */
export const DEFAULT_IDENTITY_HEADERS: Readonly<Record<IdentityField, string>> = {
  objectId: 'X-Entra-Object-Id',
  tenantId: 'X-Entra-Tenant-Id',
  clientAppId: 'X-Entra-Client-App-Id',
  scopes: 'X-Entra-Scopes',
  roles: 'X-Entra-Roles',
  authority: 'X-Entra-Authority',
};

/** Header names in use: the defaults, renamed or left out by the configuration. */
export function identityHeaderNames(configured: Partial<Record<IdentityField, string | false>> = {}): Array<[IdentityField, string]> {
  const names: Array<[IdentityField, string]> = [];
  for (const field of Object.keys(DEFAULT_IDENTITY_HEADERS) as IdentityField[]) {
    const name = configured[field] ?? DEFAULT_IDENTITY_HEADERS[field];
    if (name !== false) names.push([field, name]);
  }
  return names;
}

/**
 * A header-safe rendering of token text: printable ASCII as it is, anything else (controls,
 * non-ASCII) as `\uXXXX`, so a value can neither split the header nor make Node refuse it.
 * Entra writes GUIDs, scope and role names here, which pass unchanged.
 */
export function headerSafe(value: string): string {
  let plain = true;
  for (let i = 0; i < value.length && plain; i++) {
    const code = value.charCodeAt(i);
    plain = code >= 0x20 && code < 0x7f && code !== 0x5c;
  }
  if (plain) return value;
  let out = '';
  for (const char of value) {
    const code = char.charCodeAt(0);
    out += code >= 0x20 && code < 0x7f && char !== '\\' ? char : char.length === 2 ? `\\u${code.toString(16).padStart(4, '0')}\\u${char.charCodeAt(1).toString(16).padStart(4, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return out;
}

function valueOf(field: IdentityField, auth: VerifiedAccessToken): string {
  switch (field) {
    case 'objectId':
      return auth.principal.objectId ?? '';
    case 'tenantId':
      return auth.tenantId;
    case 'clientAppId':
      return auth.principal.clientAppId ?? '';
    case 'scopes':
      return auth.scopes.join(' ');
    case 'roles':
      return auth.roles.join(' ');
    case 'authority':
      return typeof auth.claims.iss === 'string' ? auth.claims.iss : '';
  }
}

/** The identity headers for a verified token, or all of them empty for an anonymous (public) request. */
export function identityHeaders(names: ReadonlyArray<[IdentityField, string]>, auth: VerifiedAccessToken | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [field, name] of names) headers[name] = auth ? headerSafe(valueOf(field, auth)) : '';
  return headers;
}
