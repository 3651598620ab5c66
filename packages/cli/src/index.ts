export { main, USAGE } from './main.js';
export { runDoctor } from './doctor.js';
export type { CliIo } from './doctor.js';
