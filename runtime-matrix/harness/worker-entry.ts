// Entry for workerd: the suites run inside a request to /run, and the report is the response.
// Any other path answers at once, so the launcher can tell when workerd is up.
import { files } from 'virtual:test-files';
import { runBundledTests } from './run-tests.js';

export default {
  async fetch(request: Request): Promise<Response> {
    if (new URL(request.url).pathname !== '/run') return new Response('ready');
    return Response.json(await runBundledTests('workerd', files));
  },
};
