// The one place the API's permissions are written down. The guards enforce these objects and the
// OpenAPI documents are built from the very same objects, so docs and enforcement cannot drift.
import { createEntraOpenApi, type AuthRequirement, type EntraVerifierOptions } from '@entra-verify/core';

export const scopes = { 'Data.Read': 'Read the entries', 'Data.Write': 'Add entries' } as const;

export const readData = { scopes: ['Data.Read'], appPermissions: ['Data.Read.All'] } satisfies AuthRequirement;
export const writeData = { scopes: ['Data.Write'] } satisfies AuthRequirement;

/**
 * The OpenAPI security for the tenant the API trusts. `authority` points Swagger UI's sign-in at
 * the fake Entra ID when the example runs against it.
 */
export function openApiFor(verifier: EntraVerifierOptions, authority?: string) {
  return createEntraOpenApi({
    tenant: verifier.tenant,
    clientId: verifier.clientId ?? String(verifier.audience),
    scopes,
    clientCredentials: true,
    ...(authority ? { authority } : {}),
  });
}
