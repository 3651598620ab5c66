// The adapters answer a claims challenge the way Microsoft's claims-challenge documentation asks:
// with authorization_uri, so MSAL clients know where to step up.
import { createFakeEntra } from '@entra-verify/testkit';
import { describe, expect, it } from 'vitest';
import { checkRequirement, createRequestAuthenticator } from '../src/index.js';

describe('request authenticator: insufficient_claims', () => {
  it('answers with authorization_uri for the configured tenant, and a realm when set', async () => {
    const entra = await createFakeEntra();
    const authenticator = createRequestAuthenticator({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, realm: 'api' });
    const auth = await authenticator.authenticate({ authorization: `Bearer ${await entra.mint()}` });
    let refusal: unknown;
    try {
      checkRequirement(auth, { authContext: 'c1' });
    } catch (error) {
      refusal = error;
    }
    const answer = authenticator.respond(refusal);
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toMatch(new RegExp(`^Bearer realm="api", authorization_uri="https://login\\.microsoftonline\\.com/${entra.tenantId}/oauth2/authorize", error="insufficient_claims"`));
    const forwarded = authenticator.forward(refusal) as { headers: Record<string, string> };
    expect(forwarded.headers['www-authenticate']).toContain('authorization_uri=');
  });
});
