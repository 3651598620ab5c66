import { createFakeEntra } from '@entra-verify/testkit';
import { describe, expect, it } from 'vitest';
import { verifyAccessToken, type EntraVerifierEvent, type EntraVerifierOptions } from '../src/index.js';

describe('verifyAccessToken()', () => {
  it('verifies in one call and reuses one verifier (and key cache) per options', async () => {
    const entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read'] }] });
    const options: EntraVerifierOptions = { tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch };
    const auth = await verifyAccessToken(await entra.mint(), options, { scopes: ['Data.Read'] });
    expect(auth.scopes).toEqual(['Data.Read']);
    await verifyAccessToken(await entra.mint(), options);
    expect(entra.requests.count('keys')).toBe(1);
    await expect(verifyAccessToken(await entra.mint({ scopes: ['Other'] }), options, { scopes: ['Data.Read'] })).rejects.toMatchObject({ code: 'insufficient_scope' });
  });
});

describe('onEvent', () => {
  it('reports fetches and refusals with codes, never tokens, and survives a throwing handler', async () => {
    const entra = await createFakeEntra();
    const events: EntraVerifierEvent[] = [];
    const options: EntraVerifierOptions = {
      tenant: entra.tenantId,
      clientId: entra.api.appId,
      fetch: entra.fetch,
      onEvent: (event) => {
        events.push(event);
        throw new Error('handler bug');
      },
    };
    const expired = await entra.mint({ issuedAt: 1_000_000, expiresIn: 60 });
    await expect(verifyAccessToken(expired, options)).rejects.toMatchObject({ code: 'token_expired' });
    expect(events).toEqual([
      { type: 'key_set_fetched', url: entra.jwksUri(), reason: 'cold', kids: [entra.keys.current.kid] },
      {
        type: 'token_rejected',
        code: 'token_expired',
        status: 401,
        description: 'The access token has expired.',
        hint: expect.stringMatching(/^The token expired \d+ days ago/),
        // Who was refused (issue #18): read from the verified claims, never the token itself.
        tenantId: entra.tenantId,
        clientAppId: entra.clientApp.clientId,
        tokenId: expect.any(String),
        authority: `https://login.microsoftonline.com/${entra.tenantId}`,
        claimsVerified: true,
      },
    ]);
    expect(JSON.stringify(events)).not.toContain(expired.split('.')[1]);
  });
});
