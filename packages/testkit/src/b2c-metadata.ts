// Azure AD B2C's per-policy documents. URL shapes: https://learn.microsoft.com/azure/active-directory-b2c/tokens-overview
// ("Validate signature": https://contoso.b2clogin.com/contoso.onmicrosoft.com/b2c_1_signupsignin1/v2.0/.well-known/openid-configuration
// and .../b2c_1_signupsignin1/discovery/v2.0/keys). Document members: a captured B2C policy document
// (issuer, authorize/token/logout endpoints and jwks_uri under the policy path, response types, scopes
// ["openid"], pairwise subjects, RS256, client_secret_post/basic, claims_supported with tfp and acr).
// Key shape: B2C key sets publish kid, nbf, use, kty, e, n and no x5c/x5t/issuer (the key set of
// Microsoft's demo tenant, https://fabrikamb2c.b2clogin.com/fabrikamb2c.onmicrosoft.com/b2c_1_susi/discovery/v2.0/keys,
// as captured in public repositories).
import type { B2CIssuerForm } from './b2c-tokens.js';
import { b2cIssuer } from './b2c-tokens.js';
import type { FakeSigningKey } from './signing-key.js';

/** A key as B2C publishes it. */
export interface B2CPublishedJwk {
  /** Key id. */
  kid: string;
  /** When the key became valid, epoch seconds. */
  nbf: number;
  /** Signature keys only. */
  use: 'sig';
  /** Key type. */
  kty: 'RSA';
  /** RSA public exponent. */
  e: string;
  /** RSA modulus. */
  n: string;
}

export interface B2CDocumentInput {
  /** Origin the request came to (the b2clogin host, or the loopback URL). */
  origin: string;
  /** The b2clogin origin, for the issuer (which stays B2C's on loopback too). */
  host: string;
  tenantId: string;
  /** Path prefix as asked: `{tenant}.onmicrosoft.com` or the tenant id. */
  tenantSegment: string;
  policy: string;
  issuerForm: B2CIssuerForm;
}

export function b2cDiscovery(input: B2CDocumentInput): Record<string, unknown> {
  const base = `${input.origin}/${input.tenantSegment}/${input.policy}`;
  return {
    issuer: b2cIssuer(input.host, input.tenantId, input.issuerForm, input.policy),
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    token_endpoint: `${base}/oauth2/v2.0/token`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    response_types_supported: ['code', 'code id_token', 'code token', 'code id_token token', 'id_token', 'id_token token', 'token', 'token id_token'],
    scopes_supported: ['openid'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    claims_supported: ['name', 'emails', 'given_name', 'family_name', 'idp', 'oid', 'sub', 'tfp', 'iss', 'iat', 'exp', 'aud', 'acr', 'nonce', 'auth_time'],
  };
}

export function b2cKeySet(keys: FakeSigningKey[], notBefore: (key: FakeSigningKey) => number): { keys: B2CPublishedJwk[] } {
  return { keys: keys.map((key) => ({ kid: key.kid, nbf: notBefore(key), use: 'sig', kty: 'RSA', e: key.jwk.e, n: key.jwk.n })) };
}
