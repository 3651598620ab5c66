// autocannon in a process of its own, so generating the load never shares the event loop (or the
// CPU accounting) of the server being measured.
//
//   node dist/load-generator.js <url> <connections> <seconds> [<headers as JSON>]
//     one run; prints the result as JSON on stdout.
//
// Forked with an IPC channel (startLoadGenerator), it stays up and runs one load per message, so
// interleaved rounds do not pay a process start per slice. Each result carries the load
// generator's own CPU time, which tells whether it, rather than the server, was the limit.
import autocannon from 'autocannon';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LoadRequest {
  url: string;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  /** Send `Authorization: Bearer <token>` with the tokens given to `setTokens`, one per request, cycled. */
  distinctTokens?: boolean;
}

export interface LoadResult {
  /** Responses received (any status). */
  completed: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** From the first request to the last response, in ms. */
  durationMs: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time (user + system) the load generator spent on this run, in µs. */
  cpuMicros: number;
}

type Message = { type: 'tokens'; tokens: string[] } | ({ type: 'run'; id: number } & LoadRequest);

let tokens: string[] = [];
let nextToken = 0;

async function runLoad(request: LoadRequest): Promise<LoadResult> {
  const cpu = process.cpuUsage();
  const result = await autocannon({
    url: request.url,
    connections: request.connections,
    duration: request.seconds,
    // autocannon stops at its first sample after the duration: sampled every 100 ms (default 1 s),
    // a 0.3 s run lasts about 0.3 s, not 1 s.
    sampleInt: 100,
    headers: request.headers ?? {},
    ...(request.distinctTokens && tokens.length
      ? { requests: [{ setupRequest: (r: autocannon.Request) => ({ ...r, headers: { ...r.headers, authorization: `Bearer ${tokens[nextToken++ % tokens.length]}` } }) }] }
      : {}),
  });
  const used = process.cpuUsage(cpu);
  const completed = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  const durationMs = Math.max(1, result.finish.getTime() - result.start.getTime());
  return {
    completed,
    non2xx: result.non2xx,
    errors: result.errors,
    durationMs,
    requestsPerSecond: (completed / durationMs) * 1000,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    cpuMicros: used.user + used.system,
  };
}

export interface LoadGenerator {
  run(request: LoadRequest): Promise<LoadResult>;
  /** Tokens for `distinctTokens` runs (sent once over IPC). */
  setTokens(tokens: readonly string[]): void;
  close(): void;
}

/** Fork the load generator (this file) and keep it up for many runs. */
export function startLoadGenerator(): LoadGenerator {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--serve'], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve: (r: LoadResult) => void; reject: (e: Error) => void }>();
  let id = 0;
  child.on('message', (message: { id: number; result?: LoadResult; error?: string }) => {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.result) waiter?.resolve(message.result);
    else waiter?.reject(new Error(`load generator: ${message.error}`));
  });
  child.on('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`load generator exited (${code})`));
    pending.clear();
  });
  return {
    run: (request) =>
      new Promise((resolve, reject) => {
        const message: Message = { type: 'run', id: ++id, ...request };
        pending.set(message.id, { resolve, reject });
        child.send(message);
      }),
    setTokens: (list) => child.send({ type: 'tokens', tokens: [...list] } satisfies Message),
    close: () => {
      child.disconnect();
      child.kill();
    },
  };
}

const isMain = process.argv[1] === fileURLToPath(import.meta.url);
if (isMain && process.argv.includes('--serve')) {
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: Message) => {
    if (message.type === 'tokens') {
      tokens = message.tokens;
      nextToken = 0;
      return;
    }
    runLoad(message).then(
      (result) => process.send!({ id: message.id, result }),
      (error: unknown) => process.send!({ id: message.id, error: String(error) }),
    );
  });
} else if (isMain) {
  const [url, connections = '50', seconds = '10', headers = '{}'] = process.argv.slice(2);
  if (!url) {
    console.error('usage: node dist/load-generator.js <url> <connections> <seconds> [<headers as JSON>]');
    process.exit(2);
  }
  const result = await runLoad({ url, connections: Number(connections), seconds: Number(seconds), headers: JSON.parse(headers) as Record<string, string> });
  console.log(JSON.stringify(result));
}
