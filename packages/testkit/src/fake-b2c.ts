// createFakeB2C: an in-process Azure AD B2C tenant. B2C differs from Entra ID in host
// ({tenant}.b2clogin.com), paths (one discovery document and key set per policy) and token shape
// (ver 1.0, no tid, tfp/acr, issuer with a trailing slash), so it has its own small fake that shares
// the request log, faults and loopback transport with createFakeEntra.
import { calculateJwkThumbprint } from 'jose';
import { b2cDiscovery, b2cKeySet } from './b2c-metadata.js';
import { b2cClaims, b2cIssuer, type B2CIssuerForm } from './b2c-tokens.js';
import { randomGuid } from './directory.js';
import { jsonResponse } from './entra-error.js';
import type { ListeningFakeEntra } from './fake-entra.js';
import { delay, FaultPlan } from './faults.js';
import { signRs256 } from './jws.js';
import { listenOnLoopback } from './loopback.js';
import type { FetchLike } from './portable-types.js';
import { RequestLog, type FakeEndpoint } from './request-log.js';
import { faultResponse } from './router.js';
import { createSigningKey, type FakeSigningKey } from './signing-key.js';

/** Options of {@link createFakeB2C}; every one has a default. */
export interface FakeB2COptions {
  /** The tenant's name: host `{tenantName}.b2clogin.com`, domain `{tenantName}.onmicrosoft.com`. Default `contosob2c`. */
  tenantName?: string;
  /** Tenant id (GUID), the one in `iss`. Default: random. */
  tenantId?: string;
  /** User flows (`B2C_1_…`, policy in `tfp`) and custom policies (`B2C_1A_…`, policy in `acr`). Default `['B2C_1_susi', 'B2C_1A_signup_signin']`. */
  policies?: string[];
  /** The web API's application id (`aud`). Default: random. */
  apiAppId?: string;
  /** Scopes the API exposes (`scp`). Default `['demo.read']`. */
  scopes?: string[];
  /** The client app (`azp`). Default: random. */
  clientId?: string;
  /** Issuer form, the "Issuer (iss) claim" compatibility setting. Default `tenant` (https://{host}/{tenant id}/v2.0/). */
  issuerForm?: B2CIssuerForm;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
}

/** What `b2c.mint(options)` puts in a token; every field has a default. */
export interface B2CMintOptions {
  /** Policy (user flow or custom policy). Default: the first policy. */
  policy?: string;
  /** `scp`. Default: every scope of the API. */
  scopes?: string[];
  /** `aud`. Default: the API's application id. */
  audience?: string;
  /** Epoch seconds. Default: now. */
  issuedAt?: number;
  /** Seconds. Default 3600. */
  expiresIn?: number;
  /** Claim overrides; `undefined` removes a claim. */
  claims?: Record<string, unknown>;
}

/** A fake Azure AD B2C tenant: per-policy discovery and keys, tokens, faults, log and transports. */
export interface FakeB2C {
  /** e.g. `contosob2c`. */
  readonly tenantName: string;
  /** The tenant GUID in `iss`. */
  readonly tenantId: string;
  /** `{tenantName}.onmicrosoft.com`. */
  readonly domain: string;
  /** `https://{tenantName}.b2clogin.com`. */
  readonly host: string;
  /** The policies it serves. */
  readonly policies: readonly string[];
  /** The web API's application id. */
  readonly apiAppId: string;
  /** The client app id. */
  readonly clientId: string;
  /** MSAL-style authority for a policy: `https://{host}/{domain}/{policy}`. */
  authority(policy?: string): string;
  /** The policy's openid-configuration URL. */
  discoveryUri(policy?: string): string;
  /** The policy's key-set URL. */
  jwksUri(policy?: string): string;
  /** The issuer its tokens carry (same for every policy in the default `tenant` form). */
  issuer(policy?: string): string;
  /** An access token for the API. */
  mint(options?: B2CMintOptions): Promise<string>;
  /** An ID token for the client (`aud` = client id, `nonce`, no `scp`/`azp`). */
  mintIdToken(options?: B2CMintOptions & { nonce?: string }): Promise<string>;
  /** The key a policy signs with: user flows share one, custom policies share the token-signing key container's. */
  signingKey(policy?: string): FakeSigningKey;
  /** Fault injection: `b2c.faults.set('keys', { status: 503 })`. */
  readonly faults: FaultPlan;
  /** Every request answered. */
  readonly requests: RequestLog;
  /** A fetch-compatible handler for the b2clogin host. */
  readonly fetch: FetchLike;
  /** Serve it on 127.0.0.1. */
  listen(options?: { port?: number }): Promise<ListeningFakeEntra>;
}

/** Custom policies start with B2C_1A_ (Identity Experience Framework); user flows with B2C_1_. */
const isCustomPolicy = (policy: string) => policy.toUpperCase().startsWith('B2C_1A_');

/** A B2C key: a kid shaped like B2C's (43 characters: the RFC 7638 thumbprint) and its nbf. */
async function createB2CKey(nowMs: number): Promise<FakeSigningKey> {
  const key = await createSigningKey(nowMs);
  return { ...key, kid: await calculateJwkThumbprint({ kty: 'RSA', e: key.jwk.e, n: key.jwk.n }) };
}

/**
 * A fake Azure AD B2C tenant reached through `b2c.fetch` or `b2c.listen()`.
 *
 * ```ts
 * const b2c = await createFakeB2C({ tenantName: 'contosob2c', policies: ['B2C_1_susi'] });
 * const verifier = createEntraVerifier({ authority: b2c.authority('B2C_1_susi'), audience: b2c.apiAppId, fetch: b2c.fetch });
 * await verifier.verify(await b2c.mint());
 * ```
 */
export async function createFakeB2C(options: FakeB2COptions = {}): Promise<FakeB2C> {
  const now = options.now ?? Date.now;
  const tenantName = (options.tenantName ?? 'contosob2c').toLowerCase();
  const tenantId = (options.tenantId ?? randomGuid()).toLowerCase();
  const domain = `${tenantName}.onmicrosoft.com`;
  const host = `https://${tenantName}.b2clogin.com`;
  const policies = options.policies ?? ['B2C_1_susi', 'B2C_1A_signup_signin'];
  if (policies.length === 0) throw new TypeError('createFakeB2C: policies needs at least one policy');
  const apiAppId = options.apiAppId ?? randomGuid();
  const clientId = options.clientId ?? randomGuid();
  const scopes = options.scopes ?? ['demo.read'];
  const issuerForm = options.issuerForm ?? 'tenant';
  const createdAt = Math.floor(now() / 1000);
  // Custom policies sign with the B2C_1A_TokenSigningKeyContainer key
  // (https://learn.microsoft.com/azure/active-directory-b2c/jwt-issuer-technical-profile); user flows with the tenant's own.
  const userFlowKey = await createB2CKey(now());
  const customPolicyKey = await createB2CKey(now());
  const user = { objectId: randomGuid(), name: 'Emily Smith', givenName: 'Emily', familyName: 'Smith', email: 'emily@example.com' };

  const findPolicy = (policy: string | undefined): string => {
    if (policy === undefined) return policies[0]!;
    const found = policies.find((p) => p.toLowerCase() === policy.toLowerCase());
    if (!found) throw new Error(`fake B2C has no policy "${policy}"; add it to createFakeB2C({ policies })`);
    return found;
  };
  const signingKey = (policy?: string) => (isCustomPolicy(findPolicy(policy)) ? customPolicyKey : userFlowKey);

  const sign = async (request: B2CMintOptions & { nonce?: string }, idToken: boolean) => {
    const policy = findPolicy(request.policy);
    const claims = b2cClaims({
      host,
      tenantId,
      policy,
      policyClaim: isCustomPolicy(policy) ? 'acr' : 'tfp',
      issuerForm,
      audience: request.audience ?? (idToken ? clientId : apiAppId),
      clientId,
      user,
      scopes: request.scopes ?? scopes,
      issuedAt: request.issuedAt ?? Math.floor(now() / 1000),
      expiresIn: request.expiresIn ?? 3600,
      idToken,
      nonce: request.nonce,
    });
    for (const [name, value] of Object.entries(request.claims ?? {})) {
      if (value === undefined) delete claims[name];
      else claims[name] = value;
    }
    const key = signingKey(policy);
    // B2C headers: typ, alg, kid (tokens-overview "Validate signature").
    return signRs256({ typ: 'JWT', alg: 'RS256', kid: key.kid }, claims, key.privateKey);
  };

  const faults = new FaultPlan();
  const requests = new RequestLog();
  const handle = async (request: Request, origin: string): Promise<Response> => {
    const url = new URL(request.url);
    const route = classifyB2C(url, domain, tenantId, policies);
    const fault = faults.take(route.endpoint);
    if (fault?.delayMs) await delay(fault.delayMs, request.signal);
    const response =
      fault && (fault.status || fault.body)
        ? faultResponse({ now }, fault, route.endpoint)
        : route.endpoint === 'discovery'
          ? jsonResponse(b2cDiscovery({ origin, host, tenantId, tenantSegment: route.tenantSegment, policy: route.policy!, issuerForm }))
          : route.endpoint === 'keys'
            ? jsonResponse(b2cKeySet([signingKey(route.policy)], () => createdAt))
            : jsonResponse({ error: 'not_found', error_description: `fake B2C does not serve ${request.method} ${url.pathname}` }, 404);
    requests.add({ method: request.method, endpoint: route.endpoint, path: url.pathname, search: url.search, tenant: route.tenantSegment, status: response.status, at: now() });
    return response;
  };
  const servesOrigin = (origin: string) => origin === host;
  const fetchHandler: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    const origin = new URL(request.url).origin;
    if (!servesOrigin(origin)) throw new TypeError(`fetch failed: fake B2C serves ${host}, not ${origin}`);
    return handle(request, origin);
  };

  return {
    tenantName,
    tenantId,
    domain,
    host,
    policies,
    apiAppId,
    clientId,
    authority: (policy) => `${host}/${domain}/${findPolicy(policy)}`,
    discoveryUri: (policy) => `${host}/${domain}/${findPolicy(policy)}/v2.0/.well-known/openid-configuration`,
    jwksUri: (policy) => `${host}/${domain}/${findPolicy(policy)}/discovery/v2.0/keys`,
    issuer: (policy) => b2cIssuer(host, tenantId, issuerForm, findPolicy(policy)),
    mint: (mintOptions = {}) => sign(mintOptions, false),
    mintIdToken: (idOptions = {}) => sign(idOptions, true),
    signingKey,
    faults,
    requests,
    fetch: fetchHandler,
    listen: (listenOptions = {}) => listenOnLoopback(handle, servesOrigin, listenOptions),
  };
}

interface B2CRoute {
  endpoint: FakeEndpoint;
  tenantSegment: string;
  policy: string | undefined;
}

/**
 * `/{domain|tenant id}/{policy}/v2.0/.well-known/openid-configuration`, `/{…}/{policy}/discovery/v2.0/keys`,
 * the same with a leading `/tfp` (MSAL's B2C authority form), and the `?p={policy}` form without
 * the policy segment. Policy names match case-insensitively, as B2C's do.
 */
function classifyB2C(url: URL, domain: string, tenantId: string, policies: readonly string[]): B2CRoute {
  const parts = url.pathname.split('/').filter(Boolean);
  if (parts[0]?.toLowerCase() === 'tfp') parts.shift();
  const [tenantSegment = '', ...rest] = parts;
  const knownTenant = tenantSegment.toLowerCase() === domain || tenantSegment.toLowerCase() === tenantId;
  const policyOf = (name: string | null | undefined) => policies.find((p) => p.toLowerCase() === name?.toLowerCase());
  let policy = policyOf(rest[0]);
  const tail = (policy ? rest.slice(1) : rest).join('/');
  policy ??= policyOf(url.searchParams.get('p'));
  const endpoint: FakeEndpoint =
    !knownTenant || !policy
      ? 'unknown'
      : tail === 'v2.0/.well-known/openid-configuration'
        ? 'discovery'
        : tail === 'discovery/v2.0/keys'
          ? 'keys'
          : 'unknown';
  return { endpoint, tenantSegment, policy };
}
