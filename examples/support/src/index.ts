export { startEntraEnvironment, startFakeEntraEnvironment, realTenantOptions } from './entra-environment.js';
export type { EntraEnvironment, ExampleRegistration } from './entra-environment.js';
export { listenOnLoopback } from './listen.js';
export type { RunningServer } from './listen.js';
export { findChromium, CHROMIUM_ARGS } from './chromium.js';
