// The public API, re-exported by name. The sources are grouped by layer, and every import points
// down (test/layout.node.test.ts keeps it so): options, events, errors, clouds and printable at the
// bottom; token/ (base64url, parsing, claims, the verified result); keys/ (key sets, discovery,
// decryption keys, crypto backends); rules/ (the check-* rules, authorize, requirements, the
// verification order); verifier/ (options, creation, authorities, result cache, ID tokens);
// http/ (bearer extraction, RFC 6750 answers, the request authenticator, upgrades, OpenAPI).
export { createEntraVerifier } from './verifier/entra-verifier.js';
export type { EntraVerifier, Diagnosis, DiagnosisCheck } from './verifier/create-verifier.js';
export type { VerificationRule } from './rules/verification-steps.js';
export { verifyAccessToken } from './verifier/verify-access-token.js';
export { authorize } from './rules/authorize.js';
export type { AuthRequirement } from './rules/authorize.js';
export { extractBearerToken, assertNoTokenInQuery } from './http/bearer-token.js';
export type { ExtractBearerTokenOptions } from './http/bearer-token.js';
export { toHttpError, buildWwwAuthenticate, quoteHeaderValue } from './http/http-error.js';
export type { HttpErrorResponse, ToHttpErrorOptions } from './http/http-error.js';
export { EntraAuthError, isEntraAuthError, ERROR_TRAITS } from './errors.js';
export type { EntraAuthErrorCode, EntraAuthErrorDetails, ErrorCodeTraits, OAuthErrorCode } from './errors.js';
export type { JwksOptions, TenantPolicy, SupportedAlgorithm, DecryptionKey, PrivateRsaJwk, KeyObjectLike, CryptoKeyLike, FetchLike } from './options.js';
export type { EntraLogger, EntraLoggerObject } from './logger.js';
export type { EntraVerifierOptions, EntraAuthoritiesOptions, AuthorityOptions, EntraVerifierConfig, SharedVerifierOption } from './verifier/verifier-options.js';
export { certificateThumbprint } from './rules/check-certificate-binding.js';
export type { ClientCertificate, VerifyContext } from './rules/check-certificate-binding.js';
export { peerCertificateOf } from './http/tls-client-certificate.js';
export { requestAuthorization, singleAuthorization } from './http/single-authorization.js';
export { handlerOf, markHandledBy } from './http/handled-by.js';
export type { RawHeadersSource } from './http/single-authorization.js';
export type { PeerCertificateSource } from './http/tls-client-certificate.js';
export type { EntraVerifierEvent, KeySetFetchReason, KeySetFetchedEvent, KeySetRotatedEvent, KeySetFetchFailedEvent, DiscoveryFetchedEvent, TokenRejectedEvent } from './events.js';
export { isAppOnly } from './token/verified-token.js';
export type { VerifiedAccessToken, EntraPrincipal } from './token/verified-token.js';
export { isGraphAudience } from './rules/check-header.js';
export { isGuid } from './guid.js';
export { durationInWords } from './duration-in-words.js';
export { escapeControls } from './printable.js';
export type { EntraAccessTokenClaims, EntraV1Claims, EntraV2Claims, EntraCommonClaims, JwsHeader } from './token/claims.js';
export type { CloudName } from './clouds.js';
export { createRequestAuthenticator, checkRequirement, requirementFrom, requirementOf } from './http/request-authenticator.js';
export { entraOptionsFromEnvironment } from './http/environment-options.js';
export type { EntraAuthBehaviour, EntraAuthMiddlewareOptions, RequestAuthenticator, RequestCredentials, ForwardedError } from './http/request-authenticator.js';
export { acceptsQueryToken, takeQueryToken } from './http/query-token.js';
export type { QueryTokenRequest, TakenQueryToken } from './http/query-token.js';
export { entraUpgrade, rawHttpResponse } from './http/upgrade.js';
export type { EntraUpgradeOptions, UpgradeHandler, UpgradeRequest, UpgradeSocket } from './http/upgrade.js';
export { createEntraOpenApi } from './http/openapi.js';
export type { EntraOpenApi, EntraOpenApiOptions, OpenApiOAuth2Scheme, OpenApiOAuthFlow, OpenApiOperationSecurity, OpenApiSecurityRequirement } from './http/openapi.js';
export { refuse } from './rules/custom-check.js';
export type { AuthCheck } from './rules/custom-check.js';
export { checkRequiredClaims } from './rules/required-claims.js';
export type { RequiredClaim, RequiredClaimsFailure } from './rules/required-claims.js';
export { isGuest } from './rules/callers.js';
export type { CallerKinds, GuestPolicy } from './rules/callers.js';
export { hasGroupsOverage } from './rules/groups.js';
export { REQUIREMENT_KEYS } from './rules/requirement.js';
export { createIdTokenVerifier } from './verifier/id-token-verifier.js';
export type { IdTokenVerifier, IdTokenVerifierOptions, IdTokenExpectations, VerifiedIdToken } from './verifier/id-token-verifier.js';
