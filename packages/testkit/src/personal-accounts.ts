// Personal Microsoft accounts (MSA): one fixed tenant, and key-set segments that include or
// exclude it. Microsoft's sources are cited beside each fact.

/**
 * The tenant of every personal Microsoft account: `tid` of their tokens.
 * Source: @azure/msal-common src/utils/Constants.ts `CONSUMER_UTID` and src/account/TokenClaims.ts
 * ("Users' tenant or '9188040d-6c67-4c5b-b112-36a304b66dad' for personal accounts").
 */
export const PERSONAL_ACCOUNT_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

/**
 * Whether a key set at this path segment publishes the personal-account keys. The captured
 * key sets show it: https://login.microsoftonline.com/common/discovery/v2.0/keys lists two keys
 * whose `issuer` is `https://login.microsoftonline.com/9188040d-…/v2.0`; the `organizations` key
 * set of the same day (2024-10-01, panva/wellknown issuers/entra-{common,organizations}) lists
 * neither. `consumers` and the personal-account tenant itself serve those accounts
 * (https://learn.microsoft.com/entra/identity-platform/v2-protocols#endpoints), so they publish them too.
 */
export function publishesPersonalKeys(tenantSegment: string): boolean {
  const segment = tenantSegment.toLowerCase();
  return segment === 'common' || segment === 'consumers' || segment === PERSONAL_ACCOUNT_TENANT_ID;
}
