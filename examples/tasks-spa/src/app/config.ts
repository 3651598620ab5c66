// What the page learns from /config.json: the app's registration, the API, and (for the demo in
// your own browser only) where the loopback fake Entra ID answers for the production authority.

export interface SpaConfig {
  /** The SPA's application (client) id. */
  clientId: string;
  /** `https://login.microsoftonline.com/{tenant}`: the production authority, also against the fake. */
  authority: string;
  /** Where MSAL returns after sign-in and sign-out: the app's own page, registered as `spa`. */
  redirectUri: string;
  /** The tasks API's origin. */
  apiBaseUrl: string;
  /** e.g. `api://<api-client-id>/Tasks.ReadWrite`. */
  apiScopes: string[];
  /** Demo only: requests for `from` (the authority's origin) go to `to`, a fake Entra ID on loopback. */
  authorityRewrite?: { from: string; to: string };
}
