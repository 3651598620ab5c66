// One bounded GET: a timeout that covers the body too, a size cap enforced while reading,
// and no redirects (a key set that moves is a configuration error to surface, not follow).
import type { FetchLike } from '../options.js';

export class FetchJsonError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'FetchJsonError';
  }
}

export interface FetchJsonOptions {
  fetch: FetchLike;
  timeoutMs: number;
  maxBytes: number;
  /** Aborts the request when the verifier is closed. */
  signal: AbortSignal;
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) throw new FetchJsonError(`response of ${declared} bytes exceeds the ${maxBytes}-byte limit`);
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new FetchJsonError(`response exceeds the ${maxBytes}-byte limit`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/**
 * A network error (no HTTP answer at all) is tried once more: a pooled keep-alive connection the
 * server has just closed fails the first attempt, and a cold key set would otherwise wait out
 * the retry backoff for nothing. HTTP errors and timeouts are not retried.
 */
async function send(url: string, options: FetchJsonOptions, signal: AbortSignal): Promise<Response> {
  const init: RequestInit = { headers: { accept: 'application/json' }, redirect: 'manual', signal };
  try {
    return await options.fetch(url, init);
  } catch (error) {
    if (signal.aborted) throw error;
    return options.fetch(url, init);
  }
}

export async function fetchJson(url: string, options: FetchJsonOptions): Promise<unknown> {
  // A plain timer rather than AbortSignal.timeout(): Node unrefs that one, so a fetch that never
  // settles (a custom transport, no socket) would let the process exit mid-verification instead of
  // failing. The race also bounds a fetch that ignores its abort signal. Cleared on every path.
  // The deadline rejects before the abort reaches the fetch, so a timeout always reads as one.
  const timeout = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new FetchJsonError(`did not answer within ${options.timeoutMs} ms`));
      timeout.abort();
    }, options.timeoutMs);
  });
  const signal = AbortSignal.any([timeout.signal, options.signal]);
  try {
    return await Promise.race([fetchAndParse(url, options, signal), deadline]);
  } catch (error) {
    if (error instanceof FetchJsonError) throw error;
    // undici hides the network reason (ECONNREFUSED, ENOTFOUND, …) in `cause`: name it.
    const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
    const reason = cause?.code ?? cause?.message;
    throw new FetchJsonError(`could not be fetched: ${error instanceof Error ? error.message : String(error)}${reason ? ` (${reason})` : ''}`);
  } finally {
    clearTimeout(timer);
  }
}

async function fetchAndParse(url: string, options: FetchJsonOptions, signal: AbortSignal): Promise<unknown> {
  const response = await send(url, options, signal);
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => {});
    throw new FetchJsonError(`answered HTTP ${response.status}`, response.status);
  }
  const text = await readCapped(response, options.maxBytes);
  try {
    return JSON.parse(text);
  } catch {
    throw new FetchJsonError('answered with a body that is not JSON', 200);
  }
}
