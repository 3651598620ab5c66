// The testkit README's vitest example, run as written (it uses core, so it lives here: the
// testkit's own tests never depend on core).
import { createFakeEntra } from '@entra-verify/testkit';
import { createEntraVerifier } from '@entra-verify/core';
import { expect, test } from 'vitest';

const entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read'] }] });
const verifier = createEntraVerifier({
  tenant: entra.tenantId,
  clientId: entra.api.appId,
  fetch: entra.fetch, // key sets come from the fake, not the internet
});
test('a token with Data.Read is accepted', async () => {
  const auth = await verifier.verify(await entra.mint(), { scopes: ['Data.Read'] });
  expect(auth.principal.objectId).toBe(entra.user.objectId);
});
test('every attack token is refused', async () => {
  for (const attack of await entra.attackTokens())
    await expect(verifier.verify(attack.token), attack.name).rejects.toMatchObject({ code: attack.expectedCode });
});
