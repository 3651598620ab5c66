// The AADSTS errors of the sign-in flows (authorize, code, refresh token, on-behalf-of, client
// assertions). Numbers and texts come from Microsoft's "AADSTS error codes" reference
// (learn.microsoft.com/entra/identity-platform/reference-error-codes) unless a comment names
// another source; the OAuth `error` strings from the tables "Error codes for authorization
// endpoint errors" and "Error codes for token endpoint errors" of
// learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow.
import type { EntraErrorSpec } from './entra-error.js';

const spec = (status: number, error: string, code: number, message: string): EntraErrorSpec => ({ status, error, code, message });

export const unknownClient = (clientId: string): EntraErrorSpec =>
  spec(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`);

/** InvalidReplyTo. */
export const redirectUriMismatch = (redirectUri: string, clientId: string): EntraErrorSpec =>
  spec(400, 'invalid_request', 50011, `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.`);

export const noRedirectUri = (): EntraErrorSpec => spec(400, 'invalid_request', 900971, 'No reply address provided.');

export const missingParameter = (name: string): EntraErrorSpec =>
  spec(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`);

export const invalidParameter = (name: string): EntraErrorSpec =>
  spec(400, 'invalid_request', 90100, `InvalidRequestParameter - The parameter '${name}' is empty or not valid.`);

/** The `response_type` table: only `code` is served here (no hybrid or implicit flow). */
export const unsupportedResponseType = (responseType: string): EntraErrorSpec =>
  spec(400, 'unsupported_response_type', 70005, `The app returned an unsupported response type '${responseType}'.`);

/** InvalidCodeChallengeMethodInvalidSize: RFC 7636 §4.2 makes a challenge 43 to 128 characters. */
export const badCodeChallenge = (): EntraErrorSpec => spec(400, 'invalid_request', 501491, 'Invalid size of Code_Challenge parameter.');

export const resourceNotFound = (resource: string, tenantId: string): EntraErrorSpec =>
  spec(400, 'invalid_resource', 500011, `The resource principal named ${resource} was not found in the tenant named ${tenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`);

export const unknownScope = (clientName: string, scope: string, apiAppId: string): EntraErrorSpec =>
  spec(400, 'invalid_scope', 650053, `The application '${clientName}' asked for scope '${scope}' that doesn't exist on the resource '${apiAppId}'. Contact the app vendor.`);

/** UserInformationNotProvided: `prompt=none` without a signed-in user. */
export const loginRequired = (): EntraErrorSpec =>
  spec(400, 'login_required', 50058, "Session information isn't sufficient for single-sign-on. A silent sign-in request was sent but no user is signed in.");

/** DelegationDoesNotExist; the authorize table lists consent under `interaction_required`. */
export const consentMissing = (error: 'interaction_required' | 'invalid_grant', clientId: string): EntraErrorSpec => ({
  ...spec(400, error, 65001, `The user or administrator has not consented to use the application with ID '${clientId}'. Send an interactive authorization request for this user and resource.`),
  // At the token endpoint the OAuth error is invalid_grant; `suberror: consent_required` is what
  // msal-common's InteractionRequiredAuthError recognises (InteractionRequiredAuthSubErrorMessage).
  ...(error === 'invalid_grant' ? { suberror: 'consent_required' } : {}),
});

export const invalidScope = (message: string): EntraErrorSpec => spec(400, 'invalid_scope', 70011, message);

/** UserDeclinedConsent; `access_denied` is the authorize table's "Resource owner denied consent". */
export const consentDeclined = (): EntraErrorSpec => spec(400, 'access_denied', 65004, 'User declined to consent to access the app.');

export const codeUnknown = (): EntraErrorSpec => spec(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');

export const codeRedeemed = (): EntraErrorSpec =>
  spec(400, 'invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.');

/** ExpiredOrRevokedGrant. */
export const grantExpired = (): EntraErrorSpec =>
  spec(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.');

export const codeRedirectMismatch = (): EntraErrorSpec =>
  spec(400, 'invalid_grant', 50011, "The redirect URI in the token request does not match the one the authorization code was issued for ('redirect_uri' must be the same value as in the authorization request).");

export const pkceMismatch = (): EntraErrorSpec => spec(400, 'invalid_grant', 501481, "The Code_Verifier doesn't match the code_challenge supplied in the authorization request.");

/**
 * Not in the reference table; the text is Entra's own, as users report it (e.g. issues in
 * AzureAD/microsoft-authentication-library-for-js). The auth code flow page states the rule:
 * PKCE is "required by the Microsoft identity platform for single page apps".
 */
export const pkceRequired = (): EntraErrorSpec =>
  spec(400, 'invalid_request', 9002325, 'Proof Key for Code Exchange is required for cross-origin authorization code redemption.');

/**
 * The note under "Error codes for token endpoint errors": a SPA "may receive an invalid_request
 * error indicating that cross-origin token redemption is permitted only for the 'Single-Page
 * Application' client-type"; number and text as msal-browser surfaces them
 * (AzureAD/microsoft-authentication-library-for-js issue 5196).
 */
export const crossOriginNotSpa = (origin: string): EntraErrorSpec =>
  spec(400, 'invalid_request', 9002326, `Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type. Request origin: '${origin}'.`);

/**
 * "the Microsoft identity platform returns an error if you attempt to use a spa redirect URI
 * without an Origin header" (auth code flow page); the text is Entra's own, as reported by users.
 */
export const spaWithoutOrigin = (): EntraErrorSpec =>
  spec(400, 'invalid_request', 9002327, "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.");

/** "prevents the use of client credentials in all flows in the presence of an Origin header" (auth code flow page). */
export const credentialsFromBrowser = (): EntraErrorSpec =>
  spec(400, 'invalid_request', 90023, 'InvalidRequest - Client credentials must not be presented in a cross-origin (browser) request.');

export const publicClientWithCredential = (): EntraErrorSpec =>
  spec(401, 'invalid_client', 700025, "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.");

export const credentialRequired = (): EntraErrorSpec =>
  spec(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");

export const wrongSecret = (clientId: string): EntraErrorSpec =>
  spec(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`);

export const badClientAssertion = (reason: string): EntraErrorSpec =>
  spec(401, 'invalid_client', 700027, `Client assertion failed signature validation. ${reason}`);

/** InvalidGrant: a refresh token of another client, or one the fake never issued. */
export const refreshTokenInvalid = (): EntraErrorSpec => spec(400, 'invalid_grant', 70000, "Provided grant is invalid or malformed. The refresh token isn't valid.");

/** FreshTokenNeeded: the grant was revoked. */
export const refreshTokenRevoked = (): EntraErrorSpec =>
  spec(400, 'invalid_grant', 50173, 'The provided grant has expired due to it being revoked, and a fresh auth token is needed. Have the user sign in again.');

export const spaRefreshTokenExpired = (issuedAt: number): EntraErrorSpec =>
  spec(400, 'invalid_grant', 700084, `The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00, which can't be extended. It is now expired and a new sign in request must be sent by the SPA to the sign in page. The token was issued on ${new Date(issuedAt).toISOString()}.`);

/** InvalidAssertion: the on-behalf-of `assertion` is not a token this tenant issued for the caller. */
export const badUserAssertion = (reason: string): EntraErrorSpec => spec(400, 'invalid_grant', 50013, `Assertion failed signature validation or is invalid. ${reason}`);

export const userAssertionExpired = (expiresAt: number, nowMs: number): EntraErrorSpec =>
  spec(400, 'invalid_grant', 500133, `Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token. Current time: ${new Date(nowMs).toISOString()}, expiry time of assertion ${new Date(expiresAt * 1000).toISOString()}.`);
