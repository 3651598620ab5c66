export { createFakeEntra } from './fake-entra.js';
export type { FakeEntra, FakeEntraOptions, ListeningFakeEntra } from './fake-entra.js';
export { createFakeB2C } from './fake-b2c.js';
export type { FakeB2C, FakeB2COptions, B2CMintOptions } from './fake-b2c.js';
export type { B2CIssuerForm } from './b2c-tokens.js';
export type { B2CPublishedJwk } from './b2c-metadata.js';
export { knownClouds } from './known-clouds.js';
export type { CloudName, KnownCloud } from './known-clouds.js';
export { PERSONAL_ACCOUNT_TENANT_ID } from './personal-accounts.js';
export { GRAPH_APP_ID } from './first-party-token.js';
export type { FirstPartyTokenOptions } from './first-party-token.js';
export type { IdTokenOptions } from './id-token.js';
export type { FakeClientCertificate } from './client-certificate.js';
export type { FakeEncryptionKey, TokenContentEncryption, TokenEncryptionAlgorithm, TokenEncryptionOptions } from './encryption-key.js';
export type { MintOptions } from './mint.js';
export type { Claims } from './claims.js';
export type { JsonObject } from './jws.js';
export type { CryptoKeyLike, FetchLike } from './portable-types.js';
export type { AttackToken, AttackTarget } from './attack-tokens.js';
export type {
  FakeApi,
  FakeApiOptions,
  FakeClientApp,
  FakeClientAppOptions,
  FakeRedirectUris,
  RedirectUriPlatform,
  FakeTenant,
  FakeTenantOptions,
  FakeUser,
  FakeUserOptions,
} from './directory.js';
export type { FakeCloud } from './cloud.js';
export type { FakeFault, FaultPlan, FaultTarget } from './faults.js';
export type { FakeEndpoint, FakeRequestRecord, RequestLog } from './request-log.js';
export type { FakeSigningKey, PublishedJwk } from './signing-key.js';
export type { MsalNetworkModule, MsalNetworkResponse, MsalNetworkRequestOptions } from './msal-network-client.js';
export type { BrowserRoute, BrowserRouteRequest, BrowserRouteTarget } from './browser/playwright-route.js';
export type { RefreshTokenFilter } from './grants/refresh-tokens.js';
