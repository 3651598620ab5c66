// The Worker's entry (wrangler.jsonc `main`): a Hono app is a Workers module as it is.
import { createWorkerApi } from './app.js';

export default createWorkerApi();
