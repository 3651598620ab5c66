export { createReadWriteApi } from './app.js';
export type { DownstreamOptions } from './app.js';
export { createDownstreamApi } from './downstream-api.js';
export { onBehalfOf } from './on-behalf-of.js';
export type { OnBehalfOfOptions } from './on-behalf-of.js';
