// API Management's required-claims now live in core (`checkRequiredClaims`, `requiredClaims` on the
// verifier and in requirements); forward-auth keeps its own failure codes: policy-level claims are
// refused as API Management does (401 missing_claim), a route's as a requirement (403).
export { checkRequiredClaims } from '@entra-verify/core';
export type { RequiredClaim, RequiredClaimsFailure } from '@entra-verify/core';
