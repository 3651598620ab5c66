export { createEchoBackend } from './echo-backend.js';
export type { EchoBackend } from './echo-backend.js';
export { startGateway, GATEWAY_CONFIG } from './gateway.js';
export type { GatewayOptions, RunningGateway } from './gateway.js';
export { startProxy, proxyBinary, freePort } from './proxies.js';
export type { ProxyName, ProxyTargets, RunningProxy } from './proxies.js';
