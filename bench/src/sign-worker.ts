// A worker thread of fixtures.signInputs: RS256 signatures of the signing inputs it is given, so
// tens of thousands of distinct tokens are signed on every core before the benchmark starts.
import { createPrivateKey, sign } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';

const { pem, inputs } = workerData as { pem: string; inputs: string[] };
const key = createPrivateKey(pem);
parentPort!.postMessage(inputs.map((input) => sign('sha256', Buffer.from(input), key).toString('base64url')));
