// Tokens for Microsoft's own APIs (Microsoft Graph and other first-party resources). They carry a
// `nonce` in the JOSE header, and the signature is computed over the header with the nonce replaced
// by base64url(SHA-256(nonce)); the plain nonce is then put back. So a verifier that checks the
// token as sent fails with "invalid signature", exactly what users meet when they send a Graph
// token to their own API. Microsoft documents these tokens as not for third parties to validate
// (MicrosoftDocs/entra-docs docs/identity-platform/includes/remind-not-to-validate-access-tokens.md);
// the hashing is described by community sources that verify them: https://stackoverflow.com/a/71588115,
// https://learn.microsoft.com/answers/questions/1459176 ("header.nonce = sha256(header.nonce)") and
// https://code-atom.github.io/posts/2023/07/10/manual-validate-azure-graph-api-access-token (base64url).
import { base64url } from 'jose';
import { createApi } from './directory.js';
import { encodeSegment, type JsonObject } from './jws.js';
import { buildToken, type MintContext } from './mint.js';
import type { FakeSigningKey } from './signing-key.js';

/** Graph's application id: `aud` of Graph access tokens. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** What `entra.mintFirstPartyToken(options)` makes; every field has a default. */
export interface FirstPartyTokenOptions {
  /** `aud`, e.g. `https://graph.microsoft.com`, `https://management.azure.com/`, `https://api.spaces.skype.com`. Default: Graph's app id. */
  audience?: string;
  /** `scp`. Default: `openid profile email User.Read`. */
  scopes?: string[];
  /** Default: the fake's first tenant. */
  tenantId?: string;
  /** The calling client (`appid`). Default: the first client app. */
  clientAppId?: string;
}

/** base64url(SHA-256(UTF-8 nonce)): the value the header carries when the token is signed. */
export async function hashNonce(nonce: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(nonce));
  return base64url.encode(new Uint8Array(digest));
}

/** Sign over the header with the hashed nonce, then send the header with the plain nonce. */
export async function signWithHashedNonce(header: JsonObject & { nonce: string }, payloadSegment: string, key: FakeSigningKey): Promise<string> {
  const signedHeader = encodeSegment({ ...header, nonce: await hashNonce(header.nonce) });
  const input = new TextEncoder().encode(`${signedHeader}.${payloadSegment}`);
  const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key.privateKey, input);
  return `${encodeSegment(header)}.${payloadSegment}.${base64url.encode(new Uint8Array(signature))}`;
}

/** A fresh header nonce: 32 random bytes, base64url, as seen in captured Graph tokens (43 characters). */
export const newHeaderNonce = (): string => base64url.encode(crypto.getRandomValues(new Uint8Array(32)));

/**
 * A first-party access token: v1 claims (Graph issues v1 tokens to clients, `appid` naming the
 * caller) for the first-party resource, with the header nonce. The resource is not one of the
 * fake's API registrations, so it is made up on the spot.
 */
export async function mintFirstParty(ctx: MintContext, options: FirstPartyTokenOptions, homeTenantId: string): Promise<string> {
  const audience = options.audience ?? GRAPH_APP_ID;
  const resource = createApi({ appId: audience === GRAPH_APP_ID ? GRAPH_APP_ID : crypto.randomUUID(), identifierUri: audience, accessTokenVersion: 1 }, homeTenantId);
  const { header, claims, key } = await buildToken(
    { ...ctx, findApi: () => resource },
    {
      version: 1,
      audience,
      ...(options.clientAppId ? { clientAppId: options.clientAppId } : {}),
      ...(options.tenantId ? { tenantId: options.tenantId } : {}),
      scopes: options.scopes ?? ['openid', 'profile', 'email', 'User.Read'],
    },
  );
  // Header order of captured Graph tokens: typ, nonce, alg, x5t, kid (Microsoft Q&A 1459176).
  const { typ, alg, ...rest } = header;
  return signWithHashedNonce({ typ, nonce: newHeaderNonce(), alg, ...rest }, encodeSegment(claims), key);
}
