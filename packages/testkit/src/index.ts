export { createFakeEntra } from './fake-entra.js';
export type { FakeEntra, FakeEntraOptions, ListeningFakeEntra } from './fake-entra.js';
export type { MintOptions } from './mint.js';
export type { Claims } from './claims.js';
export type { JsonObject } from './jws.js';
export type { AttackToken, AttackTarget } from './attack-tokens.js';
export type {
  FakeApi,
  FakeApiOptions,
  FakeClientApp,
  FakeClientAppOptions,
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
