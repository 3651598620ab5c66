// createFakeEntra: an in-process Microsoft Entra ID for tests. It issues tokens with its own keys
// (via jose) and answers Entra's URL shapes, so a verifier under test meets the real thing's rules.
import { attackTokens, type AttackToken, type AttackTarget } from './attack-tokens.js';
import { AuthorizeEndpoint } from './browser/authorize-endpoint.js';
import { routeBrowser, type BrowserRouteTarget } from './browser/playwright-route.js';
import { BrowserSessions } from './browser/sessions.js';
import { createClientCertificate, type FakeClientCertificate } from './client-certificate.js';
import { issuerFor, resolveCloud, type FakeCloud } from './cloud.js';
import {
  createApi,
  createClientApp,
  createTenants,
  createUser,
  findUser,
  type FakeApi,
  type FakeApiOptions,
  type FakeClientApp,
  type FakeClientAppOptions,
  type FakeTenant,
  type FakeTenantOptions,
  type FakeUser,
  type FakeUserOptions,
} from './directory.js';
import { createEncryptionKey } from './encryption-key.js';
import { FaultPlan } from './faults.js';
import { AuthorizationCodes } from './grants/authorization-codes.js';
import { ConsentStore } from './grants/consent.js';
import { RefreshTokens, type RefreshTokenFilter } from './grants/refresh-tokens.js';
import { GRAPH_APP_ID, mintFirstParty, type FirstPartyTokenOptions } from './first-party-token.js';
import { signIdToken, type IdTokenOptions } from './id-token.js';
import { KeyRing } from './key-ring.js';
import { listenOnLoopback } from './loopback.js';
import type { CloudName } from './known-clouds.js';
import { mintToken, type MintContext, type MintOptions } from './mint.js';
import { createMsalNetworkClient, type MsalNetworkModule } from './msal-network-client.js';
import type { FetchLike } from './portable-types.js';
import { RequestLog } from './request-log.js';
import { route, type RouterContext } from './router.js';
import type { FakeSigningKey } from './signing-key.js';
import { TokenEndpoint } from './token-endpoint.js';

/** Options of {@link createFakeEntra}; every one has a default. */
export interface FakeEntraOptions {
  /** How many tenants (random GUIDs), or their ids / descriptions. Default: one tenant. */
  tenants?: number | Array<string | FakeTenantOptions>;
  /** A known cloud by name (see {@link knownClouds}): `public`, `usgov`, `china`, `france`, `germany`, `singapore`. Default `public`. */
  cloud?: CloudName;
  /** Origin of the fake authority. Default: the cloud's (`https://login.microsoftonline.com`); any
   *  origin works (a known cloud's host or alias brings that cloud's facts). */
  authorityHost?: string;
  /** Origin of v1 issuers. Default: the cloud's (`https://sts.windows.net` public and US government,
   *  `https://sts.chinacloudapi.cn` China), else the authority host. */
  v1IssuerHost?: string;
  /** Origin of v2 issuers. Default: the cloud's (`https://login.partner.microsoftonline.cn` in China), else the authority host. */
  v2IssuerHost?: string;
  /** `cloud_instance_name` in discovery and key sets. Default: from the authority host (`microsoftonline.com`, …). */
  cloudInstanceName?: string;
  /**
   * Impersonate a Microsoft Entra External ID (customer, CIAM) tenant: authority
   * `https://{tenantName}.ciamlogin.com/{tenant id or tenantName.onmicrosoft.com}`, v2 issuer
   * `https://{tenant id}.ciamlogin.com/{tenant id}/v2.0`. Default: a workforce tenant.
   */
  externalId?: {
    /** The tenant's name: `{tenantName}.ciamlogin.com`, `{tenantName}.onmicrosoft.com`. */
    tenantName: string;
  };
  /** API registrations. Default: one API with the scope `access_as_user`, v2 tokens. */
  apis?: FakeApiOptions[];
  /** Client apps. Default: one confidential client with a random secret. */
  clientApps?: FakeClientAppOptions[];
  /** Users. Default: one user; the first user approves every device code. */
  users?: FakeUserOptions[];
  /** Clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
  /**
   * Delegated permissions at sign-in: `granted` (default) treats every permission as consented, as
   * after an administrator's consent; `prompt` starts users with none and shows the consent page.
   */
  consent?: 'granted' | 'prompt';
  /** Unattended browser sign-in: this user (sign-in name or object id) is signed in, and consents, at once. Default: the sign-in page. */
  autoSignIn?: string;
}

/** The fake served over HTTP on 127.0.0.1; from {@link FakeEntra.listen}. */
export interface ListeningFakeEntra {
  /** `http://127.0.0.1:<port>`: discovery served here points its endpoints back at this URL. */
  url: string;
  /**
   * A real network fetch that sends requests for the authority host to this server instead, so a
   * verifier keeps its production configuration (tenant, cloud) and still fetches over HTTP.
   */
  fetch: FetchLike;
  /** Stops the server. */
  close(): Promise<void>;
}

/** A fake Entra ID: its directory, token minting, keys, faults, request log and transports. */
export interface FakeEntra {
  /** The cloud it impersonates (hosts and instance name). */
  readonly cloud: FakeCloud;
  /** Its tenants; the first is the home tenant of APIs, clients and users. */
  readonly tenants: readonly FakeTenant[];
  /** The first tenant's id. */
  readonly tenantId: string;
  /** API registrations. */
  readonly apis: readonly FakeApi[];
  /** The first API. */
  readonly api: FakeApi;
  /** Client app registrations. */
  readonly clientApps: readonly FakeClientApp[];
  /** The first client app. */
  readonly clientApp: FakeClientApp;
  /** Users. */
  readonly users: readonly FakeUser[];
  /** The first user. */
  readonly user: FakeUser;
  /** The fake's clock, in epoch milliseconds. */
  now(): number;

  /** `https://login.microsoftonline.com/{tenantId}` for MSAL's `authority`. */
  authority(tenantId?: string): string;
  /** The issuer Entra writes for this tenant and version. */
  issuer(version: 1 | 2, tenantId?: string): string;
  /** The v2 key-set URL for a tenant (`common` works too), with `?appid=` when given. */
  jwksUri(tenant?: string, options?: { appId?: string }): string;

  /** An access token as Entra would issue it (a user's delegated token unless `appOnly`); see {@link MintOptions}. */
  mint(options?: MintOptions): Promise<string>;
  /** A Microsoft Graph access token (Graph `aud`, `nonce` header), as a client gets with only OpenID scopes. */
  mintGraphToken(options?: { tenantId?: string; scopes?: string[] }): Promise<string>;
  /** A first-party token (Graph by default, or `audience` such as `https://management.azure.com/`) signed over its hashed header nonce. */
  mintFirstPartyToken(options?: FirstPartyTokenOptions): Promise<string>;
  /** An ID token for the client app (v1 or v2, with `nonce`): what people mistakenly send to APIs. */
  mintIdToken(options?: IdTokenOptions): Promise<string>;
  /** A client certificate to bind tokens to: `mint({ certificate: cert.certificate })`. */
  createClientCertificate(): Promise<FakeClientCertificate>;

  /** Keys as published now (v2 endpoint), plus the signing key. */
  readonly keys: {
    /** The key new tokens are signed with. */
    readonly current: FakeSigningKey;
    /** Every key in the published key set. */
    readonly published: FakeSigningKey[];
    /** The key personal-account tokens are signed with (published under `common` and `consumers`, bound to that tenant's issuer). */
    personal(): Promise<FakeSigningKey>;
    /** Leave this key out of every other key-set response, starting with the next (as Microsoft's front ends do). */
    flap(kid: string): void;
    /** Stop flapping one key, or every key. */
    steady(kid?: string): void;
  };
  /** A new signing key; the old one stays published. */
  rotate(): Promise<FakeSigningKey>;
  /** Stop publishing a key (it can still sign, for tests). */
  retire(kid: string): void;
  /** A key that is never published. */
  createUnpublishedKey(): Promise<FakeSigningKey>;

  /** Fault injection per endpoint: `entra.faults.set('keys', { status: 503 })`. */
  readonly faults: FaultPlan;
  /** Every request answered: `entra.requests.count('keys')`. */
  readonly requests: RequestLog;

  /** A fetch-compatible handler for the authority host; other hosts fail like an unreachable network. */
  readonly fetch: FetchLike;
  /** Serve the fake on 127.0.0.1 (Node, Bun and Deno). */
  listen(options?: { port?: number }): Promise<ListeningFakeEntra>;
  /** A network module for `@azure/msal-node` (`system.networkClient`). */
  msalNetworkClient(): MsalNetworkModule;

  /** Named bad tokens for a target (over a hundred, hostile shapes included); a verifier must refuse every one. */
  attackTokens(target?: AttackTarget): Promise<AttackToken[]>;

  /**
   * Route a Playwright browser context's (or page's) requests for the fake's hosts to the fake, so a
   * browser app keeps `https://login.microsoftonline.com/...` as its authority.
   */
  routeBrowser(target: BrowserRouteTarget): Promise<void>;
  /** Unattended mode: sign this user (object, sign-in name or object id) in at once, consent included; `false` shows the sign-in page again. */
  autoSignIn(user: FakeUser | string | false): void;
  /** Record consent, as a user on the consent page or (without `user`) an administrator for everyone: `scopes` like `api://…/data.write`. */
  grantConsent(grant: { clientId: string; scopes: string[]; user?: FakeUser | string }): void;
  /** Revoke refresh tokens (all, or of a user and/or client app); their next use fails with AADSTS50173. Returns how many. */
  revokeRefreshTokens(filter?: RefreshTokenFilter): number;
  /** End a user's sign-in sessions in every browser, as sign-out elsewhere would; the next `prompt=none` fails with login_required. */
  endSessions(user: FakeUser | string): void;
}

/**
 * External ID's hosts. MSAL (msal-common src/authority/Authority.ts) treats `{tenant}.ciamlogin.com`
 * as a CIAM authority, rewrites `https://{tenant}.ciamlogin.com/` to `…/{tenant}.onmicrosoft.com`
 * (transformCIAMAuthority), and accepts an issuer on a different host: "a GUID-based issuer for a
 * name-based CIAM authority" (validateIssuer, rule 5). Captured External ID documents show that
 * issuer: https://{tenant id}.ciamlogin.com/{tenant id}/v2.0, with endpoints on {tenantName}.ciamlogin.com.
 */
function externalIdSetup(tenantName: string, tenants: FakeEntraOptions['tenants']) {
  const name = tenantName.toLowerCase();
  const first = Array.isArray(tenants) ? tenants[0] : undefined;
  const id = (typeof first === 'string' ? first : first?.id) ?? crypto.randomUUID();
  return {
    cloud: { authorityHost: `https://${name}.ciamlogin.com`, v2IssuerHost: `https://${id.toLowerCase()}.ciamlogin.com` },
    tenants: [{ ...(typeof first === 'object' ? first : {}), id, domain: `${name}.onmicrosoft.com` }],
  };
}

/**
 * A fake Entra ID with realistic tokens, discovery, key sets and a token endpoint, reached through
 * `entra.fetch` (any runtime) or `entra.listen()` (a loopback server).
 *
 * ```ts
 * const entra = await createFakeEntra();
 * const verifier = createEntraVerifier({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch });
 * await verifier.verify(await entra.mint());
 * ```
 */
export async function createFakeEntra(options: FakeEntraOptions = {}): Promise<FakeEntra> {
  const now = options.now ?? Date.now;
  const external = options.externalId ? externalIdSetup(options.externalId.tenantName, options.tenants) : undefined;
  const cloud = resolveCloud(external?.cloud ?? options);
  if (external) cloud.aliases.push(external.cloud.v2IssuerHost);
  const tenants = createTenants(external?.tenants ?? options.tenants);
  const home = tenants[0]!;
  const apiOptions = options.apis ?? [{}];
  const apis = apiOptions.map((api) => createApi(api, home.id));
  for (const [index, api] of apis.entries()) {
    const wanted = apiOptions[index]!.tokenEncryption;
    if (wanted) api.tokenEncryptionKey = await createEncryptionKey(wanted === true ? {} : wanted);
  }
  const clientApps = (options.clientApps ?? [{}]).map(createClientApp);
  const users = (options.users ?? [{}]).map((user, index) => createUser(user, index, home));
  if (apis.length === 0 || clientApps.length === 0 || users.length === 0) {
    throw new TypeError('createFakeEntra: apis, clientApps and users need at least one entry when given');
  }
  const keys = await KeyRing.create(now);
  for (const api of apis) if (api.customSigningKey) await keys.forApp(api.appId);

  const findClient = (clientId: string) => clientApps.find((c) => c.clientId === clientId);
  const findApi = (idOrUri: string | undefined): FakeApi => {
    if (idOrUri === undefined) return apis[0]!;
    const found = apis.find((a) => a.appId === idOrUri || a.identifierUri === idOrUri);
    if (!found) throw new Error(`fake Entra has no API "${idOrUri}"; register it in createFakeEntra({ apis })`);
    return found;
  };
  const mintContext: MintContext = {
    cloud,
    now,
    defaultTenantId: home.id,
    findApi,
    findClient,
    defaultClient: clientApps[0]!,
    defaultUser: users[0]!,
    async keyFor({ kid, api }) {
      if (kid) return keys.get(kid);
      return (api.customSigningKey && keys.appKey(api.appId)) || keys.current;
    },
    personalKey: () => keys.personal(),
  };
  const mint = (mintOptions?: MintOptions) => mintToken(mintContext, mintOptions);

  const clientFor = (clientId: string | undefined) =>
    clientId ? (findClient(clientId) ?? createClientApp({ clientId }, 0)) : clientApps[0]!;
  const mintIdToken = (request: IdTokenOptions & { user?: FakeUser; sessionId?: string | undefined } = {}) =>
    signIdToken({
      cloud,
      version: request.version ?? 2,
      tenantId: request.tenantId ?? home.id,
      client: clientFor(request.clientAppId),
      user: request.user ?? users[0]!,
      // A sign-in grant passes its request's nonce, `undefined` included; a test's mint gets a random one.
      nonce: 'nonce' in request ? request.nonce : crypto.randomUUID(),
      issuedAt: request.issuedAt ?? Math.floor(now() / 1000),
      key: keys.current,
      sessionId: request.sessionId,
    });
  const mintFirstPartyToken = (request: FirstPartyTokenOptions & { user?: FakeUser } = {}) =>
    mintFirstParty({ ...mintContext, defaultUser: request.user ?? users[0]! }, request, home.id);

  const consent = new ConsentStore(options.consent ?? 'granted');
  const codes = new AuthorizationCodes(now);
  const refreshTokens = new RefreshTokens(now);
  const sessions = new BrowserSessions();
  const userOf = (user: FakeUser | string): FakeUser => {
    const found = typeof user === 'string' ? findUser(users, user) : user;
    if (!found) throw new Error(`fake Entra has no user "${String(user)}"; add it in createFakeEntra({ users })`);
    return found;
  };
  let autoSignInUser = options.autoSignIn ? userOf(options.autoSignIn) : undefined;

  const tokens = new TokenEndpoint({
    now,
    apis,
    users,
    findClient,
    consent,
    codes,
    refreshTokens,
    deviceCodeUser: () => users[0]!,
    mintAccessToken: (request) =>
      mint({
        tenantId: request.tenantId,
        api: request.api.appId,
        clientAppId: request.client.clientId,
        appOnly: !request.user,
        scopes: request.scopes,
        roles: request.roles,
        ...(request.user ? { user: request.user } : {}),
      }),
    mintGraphToken: (request) => mintFirstPartyToken({ tenantId: request.tenantId, scopes: request.scopes, clientAppId: request.client.clientId, ...(request.user ? { user: request.user } : {}) }),
    mintIdToken: (request) => mintIdToken({ tenantId: request.tenantId, clientAppId: request.client.clientId, user: request.user, nonce: request.nonce, sessionId: request.sessionId }),
    sharedKey: (kid) => (keys.published.some((k) => k.kid === kid) ? keys.get(kid).publicKey : undefined),
    issuers: (tenantId) => [issuerFor(cloud, 1, tenantId), issuerFor(cloud, 2, tenantId)],
  });
  const authorize = new AuthorizeEndpoint({ now, apis, users, findClient, consent, codes, sessions, autoSignInUser: () => autoSignInUser });

  const faults = new FaultPlan();
  const requests = new RequestLog();
  const routerContext: RouterContext = {
    cloud,
    tenants,
    apis,
    keys,
    tokens,
    authorize,
    sessions,
    clientApps,
    origins: () => [cloud.authorityHost, ...cloud.aliases],
    faults,
    log: requests,
    now,
  };
  const handle = (request: Request, origin: string) => route(routerContext, request, origin);

  const servesOrigin = (origin: string) => origin === cloud.authorityHost || cloud.aliases.includes(origin);
  const fetchHandler: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    const origin = new URL(request.url).origin;
    if (!servesOrigin(origin)) {
      // Behave like an unreachable host rather than answering: a verifier pointed at the wrong
      // cloud must find out in tests.
      throw new TypeError(`fetch failed: fake Entra serves ${cloud.authorityHost}, not ${origin}`);
    }
    return handle(request, origin);
  };

  const fake: FakeEntra = {
    cloud,
    tenants,
    tenantId: home.id,
    apis,
    api: apis[0]!,
    clientApps,
    clientApp: clientApps[0]!,
    users,
    user: users[0]!,
    now,
    authority: (tenantId = home.id) => `${cloud.authorityHost}/${tenantId}`,
    issuer: (version, tenantId = home.id) => issuerFor(cloud, version, tenantId),
    jwksUri: (tenant = home.id, uriOptions = {}) =>
      `${cloud.authorityHost}/${tenant}/discovery/v2.0/keys${uriOptions.appId ? `?appid=${encodeURIComponent(uriOptions.appId)}` : ''}`,
    mint,
    mintGraphToken: (graphOptions = {}) => mintFirstPartyToken({ ...graphOptions, audience: GRAPH_APP_ID }),
    mintFirstPartyToken: (firstPartyOptions) => mintFirstPartyToken(firstPartyOptions),
    mintIdToken: (idOptions) => mintIdToken(idOptions),
    createClientCertificate: () => createClientCertificate(now()),
    keys: {
      get current() {
        return keys.current;
      },
      get published() {
        return keys.published;
      },
      personal: () => keys.personal(),
      flap: (kid) => keys.flap(kid),
      steady: (kid) => keys.steady(kid),
    },
    rotate: () => keys.rotate(),
    retire: (kid) => keys.retire(kid),
    createUnpublishedKey: () => keys.unpublished(),
    faults,
    requests,
    fetch: fetchHandler,
    listen: (listenOptions = {}) => listenOnLoopback(handle, servesOrigin, listenOptions),
    msalNetworkClient: () => createMsalNetworkClient(fetchHandler),
    attackTokens: (target) => attackTokens(fake, target),
    routeBrowser: (target) => routeBrowser(target, servesOrigin, handle),
    autoSignIn: (user) => {
      autoSignInUser = user === false ? undefined : userOf(user);
    },
    grantConsent: ({ clientId, scopes, user }) => {
      const permissions = scopes.map((scope) => {
        const cut = scope.lastIndexOf('/');
        const api = findApi(scope.slice(0, cut));
        return { apiAppId: api.appId, scope: scope.slice(cut + 1) };
      });
      consent.grant(user === undefined ? '*' : userOf(user).objectId, clientId, permissions);
    },
    revokeRefreshTokens: (filter) => refreshTokens.revoke(filter),
    endSessions: (user) => sessions.endFor(userOf(user)),
  };
  return fake;
}
