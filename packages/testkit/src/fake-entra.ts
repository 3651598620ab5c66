// createFakeEntra: an in-process Microsoft Entra ID for tests. It issues tokens with its own keys
// (via jose) and answers Entra's URL shapes, so a verifier under test meets the real thing's rules.
import { attackTokens, type AttackToken, type AttackTarget } from './attack-tokens.js';
import { issuerFor, resolveCloud, type FakeCloud } from './cloud.js';
import {
  createApi,
  createClientApp,
  createTenants,
  createUser,
  type FakeApi,
  type FakeApiOptions,
  type FakeClientApp,
  type FakeClientAppOptions,
  type FakeTenant,
  type FakeTenantOptions,
  type FakeUser,
  type FakeUserOptions,
} from './directory.js';
import { FaultPlan } from './faults.js';
import { signRs256 } from './jws.js';
import { KeyRing } from './key-ring.js';
import { mintToken, type MintContext, type MintOptions } from './mint.js';
import { createMsalNetworkClient, type MsalNetworkModule } from './msal-network-client.js';
import { RequestLog } from './request-log.js';
import { route, type RouterContext } from './router.js';
import type { FakeSigningKey } from './signing-key.js';
import { TokenEndpoint } from './token-endpoint.js';

/** Options of {@link createFakeEntra}; every one has a default. */
export interface FakeEntraOptions {
  /** How many tenants (random GUIDs), or their ids / descriptions. Default: one tenant. */
  tenants?: number | Array<string | FakeTenantOptions>;
  /** Origin of the fake authority. Default `https://login.microsoftonline.com`; also
   *  `https://login.microsoftonline.us`, `https://login.chinacloudapi.cn` or any origin. */
  authorityHost?: string;
  /** Origin of v1 issuers. Default: `https://sts.windows.net` for public and US government,
   *  `https://sts.chinacloudapi.cn` for China, else the authority host. */
  v1IssuerHost?: string;
  /** `cloud_instance_name` in discovery and key sets. Default: from the authority host (`microsoftonline.com`, …). */
  cloudInstanceName?: string;
  /** API registrations. Default: one API with the scope `access_as_user`, v2 tokens. */
  apis?: FakeApiOptions[];
  /** Client apps. Default: one confidential client with a random secret. */
  clientApps?: FakeClientAppOptions[];
  /** Users. Default: one user; the first user approves every device code. */
  users?: FakeUserOptions[];
  /** Clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
}

/** The fake served over HTTP on 127.0.0.1; from {@link FakeEntra.listen}. */
export interface ListeningFakeEntra {
  /** `http://127.0.0.1:<port>`: discovery served here points its endpoints back at this URL. */
  url: string;
  /**
   * A real network fetch that sends requests for the authority host to this server instead, so a
   * verifier keeps its production configuration (tenant, cloud) and still fetches over HTTP.
   */
  fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
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
  /** An ID token for the client app: what people mistakenly send to APIs. */
  mintIdToken(options?: { tenantId?: string; clientAppId?: string }): Promise<string>;

  /** Keys as published now (v2 endpoint), plus the signing key. */
  readonly keys: {
    /** The key new tokens are signed with. */
    readonly current: FakeSigningKey;
    /** Every key in the published key set. */
    readonly published: FakeSigningKey[];
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
  readonly fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  /** Serve the fake on 127.0.0.1 (Node, Bun and Deno). */
  listen(options?: { port?: number }): Promise<ListeningFakeEntra>;
  /** A network module for `@azure/msal-node` (`system.networkClient`). */
  msalNetworkClient(): MsalNetworkModule;

  /** At least 25 named bad tokens for a target; a verifier must refuse every one. */
  attackTokens(target?: AttackTarget): Promise<AttackToken[]>;
}

interface LoopbackServerModule {
  startLoopbackServer(
    handler: (request: Request, origin: string) => Promise<Response>,
    options: { port?: number },
  ): Promise<Omit<ListeningFakeEntra, 'fetch'>>;
}

const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

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
  const cloud = resolveCloud(options);
  const tenants = createTenants(options.tenants);
  const home = tenants[0]!;
  const apis = (options.apis ?? [{}]).map((api) => createApi(api, home.id));
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
  };
  const mint = (mintOptions?: MintOptions) => mintToken(mintContext, mintOptions);

  const mintIdToken = async (request: { tenantId?: string; clientAppId?: string; user?: FakeUser } = {}) => {
    const client = request.clientAppId ? (findClient(request.clientAppId) ?? createClientApp({ clientId: request.clientAppId }, 0)) : clientApps[0]!;
    const user = request.user ?? users[0]!;
    const tenantId = request.tenantId ?? home.id;
    const iat = Math.floor(now() / 1000);
    const key = keys.current;
    return signRs256(
      { typ: 'JWT', alg: 'RS256', kid: key.kid },
      {
        aud: client.clientId,
        iss: issuerFor(cloud, 2, tenantId),
        iat,
        nbf: iat,
        exp: iat + 3600,
        name: user.name,
        nonce: crypto.randomUUID(),
        oid: user.objectId,
        preferred_username: user.username,
        rh: '0.AAAA.',
        sub: crypto.randomUUID().replace(/-/g, ''),
        tid: tenantId,
        uti: crypto.randomUUID().slice(0, 22),
        ver: '2.0',
      },
      key.privateKey,
    );
  };

  const mintGraphToken = async (request: { tenantId?: string; scopes?: string[]; client?: FakeClientApp; user?: FakeUser } = {}) => {
    const graphApi = createApi({ appId: GRAPH_APP_ID, identifierUri: 'https://graph.microsoft.com', accessTokenVersion: 1 }, home.id);
    const clientId = (request.client ?? clientApps[0]!).clientId;
    const graphContext: MintContext = { ...mintContext, findApi: () => graphApi, defaultUser: request.user ?? users[0]! };
    // Graph tokens carry a `nonce` header: Graph hashes it before checking the signature, so
    // nobody else can verify these tokens. That is why APIs must never accept them.
    return mintToken(graphContext, {
      version: 1,
      audience: GRAPH_APP_ID,
      clientAppId: clientId,
      ...(request.tenantId ? { tenantId: request.tenantId } : {}),
      scopes: request.scopes ?? ['openid', 'profile', 'email', 'User.Read'],
      header: { nonce: crypto.randomUUID().replace(/-/g, '') },
    });
  };

  const tokens = new TokenEndpoint({
    now,
    apis,
    findClient,
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
    mintGraphToken: (request) => mintGraphToken({ tenantId: request.tenantId, scopes: request.scopes, client: request.client, user: request.user }),
    mintIdToken: (request) => mintIdToken({ tenantId: request.tenantId, clientAppId: request.client.clientId, user: request.user }),
  });

  const faults = new FaultPlan();
  const requests = new RequestLog();
  const routerContext: RouterContext = { cloud, tenants, apis, keys, tokens, faults, log: requests, now };
  const handle = (request: Request, origin: string) => route(routerContext, request, origin);

  const fetchHandler = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const origin = new URL(request.url).origin;
    if (origin !== cloud.authorityHost) {
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
    mintGraphToken: (graphOptions) => mintGraphToken(graphOptions),
    mintIdToken: (idOptions) => mintIdToken(idOptions),
    keys: {
      get current() {
        return keys.current;
      },
      get published() {
        return keys.published;
      },
    },
    rotate: () => keys.rotate(),
    retire: (kid) => keys.retire(kid),
    createUnpublishedKey: () => keys.unpublished(),
    faults,
    requests,
    fetch: fetchHandler,
    async listen(listenOptions = {}) {
      // Loaded only when asked for, so the rest of the testkit runs where node:http does not exist.
      const specifier: string = './node/loopback-server.js';
      const server = (await import(specifier)) as LoopbackServerModule;
      const listening = await server.startLoopbackServer(handle, listenOptions);
      const loopbackFetch = (input: RequestInfo | URL, init?: RequestInit) => {
        const request = new Request(input, init);
        const url = new URL(request.url);
        if (url.origin !== cloud.authorityHost) return fetch(request);
        return fetch(new Request(`${listening.url}${url.pathname}${url.search}`, request));
      };
      return { ...listening, fetch: loopbackFetch };
    },
    msalNetworkClient: () => createMsalNetworkClient(fetchHandler),
    attackTokens: (target) => attackTokens(fake, target),
  };
  return fake;
}
