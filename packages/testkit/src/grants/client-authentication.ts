// How a client proves who it is at the token endpoint: nothing (public clients), a secret (in the
// body, or HTTP Basic as RFC 6749 §2.3.1 allows: "The Basic auth pattern ... is also supported",
// v2-oauth2-auth-code-flow), or a client assertion signed with a registered certificate
// (certificate-credentials: `client_assertion_type`
// `urn:ietf:params:oauth:client-assertion-type:jwt-bearer`; header `x5t#S256` (or the older `x5t`,
// SHA-1, which @azure/msal-node still sends for `thumbprint`), alg PS256 (msal-node signs RS256 with
// a SHA-1 thumbprint); claims `aud` = the token endpoint, `iss` = `sub` = the client id, `exp`, `nbf`, `jti`).
import { base64url, decodeProtectedHeader, exportJWK, importJWK, jwtVerify } from 'jose';
import type { FakeClientCertificate } from '../client-certificate.js';
import { isConfidential, type FakeClientApp } from '../directory.js';
import type { EntraErrorSpec } from '../entra-error.js';
import { badClientAssertion, credentialRequired, credentialsFromBrowser, publicClientWithCredential, wrongSecret } from '../protocol-errors.js';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** What the request carried to authenticate its client. */
export interface PresentedCredentials {
  clientId: string;
  secret: string | undefined;
  assertion: string | undefined;
}

export function readCredentials(form: URLSearchParams, authorization: string | null): PresentedCredentials {
  const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '');
  const assertion = form.get('client_assertion_type') === CLIENT_ASSERTION_TYPE ? form.get('client_assertion') || undefined : undefined;
  if (basic?.[1]) {
    const decoded = atob(basic[1]);
    const colon = decoded.indexOf(':');
    return { clientId: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)), assertion };
  }
  return { clientId: form.get('client_id') ?? '', secret: form.get('client_secret') || undefined, assertion };
}

export interface ClientAuthenticationContext {
  now(): number;
  /** The token endpoint URLs an assertion's `aud` may name (the fake's hosts, this path). */
  audiences: string[];
  /** The request's Origin header: set when a browser sent it. */
  origin: string | null;
}

/**
 * Checks the presented credential against the registration. `required`: the grant needs a
 * confidential client (client credentials, on-behalf-of, a code or refresh token issued to a `web`
 * redirect URI). Returns an Entra error, or undefined when the client is authenticated.
 */
export async function authenticateClient(client: FakeClientApp, presented: PresentedCredentials, required: boolean, ctx: ClientAuthenticationContext): Promise<EntraErrorSpec | undefined> {
  const hasCredential = presented.secret !== undefined || presented.assertion !== undefined;
  if (hasCredential && ctx.origin) return credentialsFromBrowser();
  if (!isConfidential(client)) return hasCredential ? publicClientWithCredential() : undefined;
  if (!hasCredential) return required ? credentialRequired() : undefined;
  if (presented.assertion !== undefined) return verifyClientAssertion(client, presented.assertion, ctx);
  return client.clientSecret && presented.secret === client.clientSecret ? undefined : wrongSecret(client.clientId);
}

async function findCertificate(certificates: FakeClientCertificate[], header: Record<string, unknown>): Promise<FakeClientCertificate | undefined> {
  const s256 = header['x5t#S256'];
  if (typeof s256 === 'string') return certificates.find((c) => c.thumbprintS256 === s256);
  const sha1 = header.x5t;
  if (typeof sha1 !== 'string') return undefined;
  for (const certificate of certificates) {
    const digest = await crypto.subtle.digest('SHA-1', certificate.certificate);
    if (base64url.encode(new Uint8Array(digest)) === sha1) return certificate;
  }
  return undefined;
}

async function verifyClientAssertion(client: FakeClientApp, assertion: string, ctx: ClientAuthenticationContext): Promise<EntraErrorSpec | undefined> {
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(assertion) as Record<string, unknown>;
  } catch {
    return badClientAssertion('The assertion is not a JWT.');
  }
  const certificate = await findCertificate(client.certificates, header);
  if (!certificate) return badClientAssertion(`No certificate with the assertion's thumbprint is registered for app '${client.clientId}'.`);
  const jwk = await exportJWK(certificate.publicKey);
  try {
    await jwtVerify(assertion, (protectedHeader) => importJWK(jwk, protectedHeader.alg), {
      algorithms: ['PS256', 'RS256'],
      issuer: client.clientId,
      subject: client.clientId,
      audience: ctx.audiences,
      requiredClaims: ['exp'],
      currentDate: new Date(ctx.now()),
      clockTolerance: 300,
    });
  } catch (error) {
    return badClientAssertion(error instanceof Error ? error.message : 'The assertion is invalid.');
  }
  return undefined;
}
