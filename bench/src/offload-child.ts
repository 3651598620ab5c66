// The offload comparison in a process of its own, forked by run.ts with UV_THREADPOOL_SIZE set:
// libuv reads that variable once, when its thread pool first starts, so a pool of another size
// needs a new process. The parent sends the tokens and the key set; this process verifies them
// with a key-set fetch answered from memory, and sends back the comparison.
import './production-env.js';
import { createEntraVerifier } from '@entra-verify/core';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compareOffload, type OffloadComparison } from './offload-comparison.js';

export interface OffloadChildRequest {
  tokens: string[];
  warm: string;
  jwks: unknown;
  tenantId: string;
  audience: string;
  inFlights: number[];
  rounds: number;
  sliceMs: number;
}

/** Run the comparison in a new process whose thread pool has `threads` threads. */
export function compareOffloadInChild(threads: number, request: OffloadChildRequest): Promise<OffloadComparison> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, UV_THREADPOOL_SIZE: String(threads) },
    execArgv: ['--expose-gc'],
    serialization: 'advanced',
  });
  return new Promise<OffloadComparison>((resolve, reject) => {
    child.once('message', (result) => resolve(result as OffloadComparison));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the offload child exited with code ${code} before answering`)));
    child.send(request);
  }).finally(() => child.kill());
}

async function serve(request: OffloadChildRequest): Promise<void> {
  const body = JSON.stringify(request.jwks);
  const fetchKeys = async () => new Response(body, { headers: { 'content-type': 'application/json' } });
  const result = await compareOffload((options) => createEntraVerifier({ tenant: request.tenantId, clientId: request.audience, fetch: fetchKeys, ...options }), request.tokens, request.warm, request.inFlights, request);
  process.send!(result);
}

if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) {
  process.once('message', (request) => {
    serve(request as OffloadChildRequest).catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  });
}
