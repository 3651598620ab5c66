// The shapes of issuer URLs: the tenant segment an issuer names, and the `{tenantid}` template
// of multi-tenant metadata. Plain string work, linear in the length, no regular expressions.

/** The placeholder multi-tenant metadata writes where the tenant goes (Entra's `common` / `organizations` documents). */
export const TENANT_TEMPLATE = '{tenantid}';

/**
 * Where the tenant segment of an issuer URL (`https://host/{tenant}/...`) starts, and the index
 * of the "/" after it (-1 when it runs to the end); undefined without a scheme or a path.
 */
function tenantSegment(iss: string): { start: number; end: number } | undefined {
  const scheme = iss.indexOf('://');
  if (scheme === -1) return undefined;
  const start = iss.indexOf('/', scheme + 3) + 1;
  if (start === 0) return undefined;
  return { start, end: iss.indexOf('/', start) };
}

/** The tenant segment of an issuer URL (`https://host/{tenant}/...`). */
export function issuerTenant(iss: string): string | undefined {
  const segment = tenantSegment(iss);
  if (segment === undefined) return undefined;
  const { start, end } = segment;
  const tenant = end === -1 ? iss.slice(start) : iss.slice(start, end);
  return tenant === '' ? undefined : tenant;
}

/**
 * The tenant a discovered issuer names, lower-cased, or undefined for a `{tenantid}` template.
 * Azure AD B2C writes `https://<domain>/<tenant GUID>/v2.0/`, or `https://<domain>/tfp/<tenant
 * GUID>/<policy>/v2.0/` when the user flow is set to (B2C token overview, "Compatibility":
 * https://learn.microsoft.com/azure/active-directory-b2c/tokens-overview#compatibility).
 */
export function discoveredIssuerTenant(issuer: string): string | undefined {
  if (issuer.includes(TENANT_TEMPLATE)) return undefined;
  let segments: string[];
  try {
    segments = new URL(issuer).pathname.split('/').filter((segment) => segment !== '');
  } catch {
    return undefined;
  }
  const tenant = segments[0]?.toLowerCase() === 'tfp' ? segments[1] : segments[0];
  return tenant?.toLowerCase();
}

/**
 * `iss` with its tenant segment written as `{tenantid}` (`https://host/{tenantid}/v2.0`): the key
 * a multi-tenant authority is found under. Undefined when the issuer has no tenant segment.
 */
export function issuerTemplate(iss: string): string | undefined {
  const segment = tenantSegment(iss);
  if (segment === undefined) return undefined;
  const { start, end } = segment;
  if (end === start) return undefined;
  return `${iss.slice(0, start)}${TENANT_TEMPLATE}${end === -1 ? '' : iss.slice(end)}`;
}
