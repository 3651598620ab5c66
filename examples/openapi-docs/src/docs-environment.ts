// The Fastify API with Swagger UI and a fake Entra ID, registered as a tenant would be: the API
// exposing Data.Read and Data.Write, and a public client for Swagger UI whose
// /docs/static/oauth2-redirect.html is a `spa` redirect URI (so its code is redeemed cross-origin,
// with PKCE). For the browser test and `npm run docs:serve`.
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { createFastifyApi } from './fastify-app.js';
import { openApiFor, scopes } from './requirements.js';

export interface DocsEnvironmentOptions {
  /** Port of the API and its docs on 127.0.0.1. Default: any free port. */
  port?: number;
  /**
   * Where Swagger UI signs in. `production` (default): `https://login.microsoftonline.com/<tenant>`,
   * as deployed; a Playwright test routes it to the fake with `entra.routeBrowser(context)`.
   * `loopback`: the fake's own server on 127.0.0.1, for a browser nobody routes.
   */
  authority?: 'production' | 'loopback';
}

export interface DocsEnvironment {
  entra: FakeEntra;
  /** The API's origin, e.g. `http://127.0.0.1:3005`. */
  url: string;
  /** Swagger UI. */
  docsUrl: string;
  close(): Promise<void>;
}

export async function startDocsEnvironment(options: DocsEnvironmentOptions = {}): Promise<DocsEnvironment> {
  const entra = await createFakeEntra({
    apis: [{ scopes: Object.keys(scopes), appRoles: ['Data.Read.All'] }],
    clientApps: [{ displayName: 'Entries API docs (Swagger UI)', clientSecret: null }],
    users: [{ givenName: 'Adele' }, { givenName: 'Bob', familyName: 'Kelly' }],
  });
  const loopback = options.authority === 'loopback' ? await entra.listen() : undefined;
  // The API verifies as in production (tenant, clientId); only its key-set fetch goes to the fake.
  const verifier = { tenant: entra.tenantId, clientId: entra.api.appId, fetch: loopback?.fetch ?? entra.fetch };
  const openapi = openApiFor(verifier, loopback ? `${loopback.url}/${entra.tenantId}` : undefined);
  const app = await createFastifyApi(verifier, openapi, entra.clientApp.clientId);
  const url = await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  // Registered once the port is known, as you would add it to the app registration.
  entra.clientApp.redirectUris.spa.push(`${url}/docs/static/oauth2-redirect.html`);
  return {
    entra,
    url,
    docsUrl: `${url}/docs/`,
    close: async () => {
      await app.close();
      await loopback?.close();
    },
  };
}
