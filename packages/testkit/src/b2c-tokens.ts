// Azure AD B2C token claim sets. Source: https://learn.microsoft.com/azure/active-directory-b2c/tokens-overview
// (MicrosoftDocs/azure-docs articles/active-directory-b2c/tokens-overview.md): `ver` "1.0", the
// issuer https://{tenant}.b2clogin.com/{tenant GUID}/v2.0/ (trailing slash; the alternative form
// https://{domain}/tfp/{tenant GUID}/{policy}/v2.0/ under "Compatibility"), `tfp` naming the policy
// (or `acr`, "only provided for backward-compatibility"), `sub` = the user's object id, `azp`, `scp`.
// B2C tokens carry no `tid`. Custom-policy tokens in Microsoft's examples carry the policy in `acr`
// (MicrosoftDocs/azure-docs articles/active-directory-b2c/active-directory-b2c-custom-rest-api-netfw-secure-basic.md:
// "acr": "b2c_1a_signup_signin", "ver": "1.0", iss https://contoso.b2clogin.com/{GUID}/v2.0/).

/** Which issuer form the policy writes (the "Issuer (iss) claim" token compatibility setting). */
export type B2CIssuerForm = 'tenant' | 'tfp';

export interface B2CClaimInput {
  host: string;
  tenantId: string;
  policy: string;
  policyClaim: 'tfp' | 'acr';
  issuerForm: B2CIssuerForm;
  audience: string;
  clientId: string;
  user: { objectId: string; name: string; givenName: string; familyName: string; email: string };
  scopes: string[];
  issuedAt: number;
  expiresIn: number;
  idToken: boolean;
  nonce: string | undefined;
}

export function b2cIssuer(host: string, tenantId: string, form: B2CIssuerForm = 'tenant', policy = ''): string {
  return form === 'tfp' ? `${host}/tfp/${tenantId}/${policy.toLowerCase()}/v2.0/` : `${host}/${tenantId}/v2.0/`;
}

export function b2cClaims(input: B2CClaimInput): Record<string, unknown> {
  const { issuedAt: iat, user } = input;
  // The documented example values are lower case ("b2c_1_signupsignin1", "b2c_1a_signup_signin").
  const policyValue = input.policy.toLowerCase();
  const claims: Record<string, unknown> = {
    exp: iat + input.expiresIn,
    nbf: iat,
    ver: '1.0',
    iss: b2cIssuer(input.host, input.tenantId, input.issuerForm, input.policy),
    sub: user.objectId,
    aud: input.audience,
    ...(input.idToken ? { nonce: input.nonce ?? crypto.randomUUID() } : {}),
    iat,
    auth_time: iat,
    oid: user.objectId,
    name: user.name,
    given_name: user.givenName,
    family_name: user.familyName,
    emails: [user.email],
    [input.policyClaim]: policyValue,
  };
  if (!input.idToken) {
    claims.scp = input.scopes.join(' ');
    claims.azp = input.clientId;
  }
  return claims;
}
