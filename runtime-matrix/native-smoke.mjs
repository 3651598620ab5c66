// Run by Node, Bun and Deno themselves, unbundled: the built packages as an install resolves them
// (exports, the #signature-backend condition), and the testkit's listen(), which the bundled suites
// leave out. Prints one line starting with "ok" or exits non-zero.
import { createEntraVerifier } from '@entra-verify/core';
import { createFakeEntra } from '@entra-verify/testkit';

const entra = await createFakeEntra();
const server = await entra.listen();
try {
  const discovery = await (await fetch(`${server.url}/${entra.tenantId}/v2.0/.well-known/openid-configuration`)).json();
  if (!discovery.jwks_uri.startsWith(server.url)) throw new Error(`discovery over loopback points at ${discovery.jwks_uri}`);
  // Production configuration; server.fetch sends the authority's requests to the loopback socket.
  const verifier = createEntraVerifier({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: server.fetch });
  const auth = await verifier.verify(await entra.mint());
  if (auth.tenantId !== entra.tenantId) throw new Error('verified the wrong tenant');
  const refused = await verifier.verify(await entra.mint({ audience: crypto.randomUUID() })).then(
    () => 'accepted',
    (error) => error.code,
  );
  if (refused !== 'audience_mismatch') throw new Error(`a foreign audience gave ${refused}`);
  console.log(`ok: installed packages verify over listen() (${entra.requests.count('keys')} key-set fetch)`);
} finally {
  await server.close();
}
