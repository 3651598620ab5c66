// Entry for workerd: the suites run inside a request, and the report is the response.
import { files } from 'virtual:test-files';
import { runBundledTests } from './run-tests.js';

export default {
  async fetch(): Promise<Response> {
    return Response.json(await runBundledTests('workerd', files));
  },
};
