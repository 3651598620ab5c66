// The Authorization header of a Node.js request when it was sent exactly once, for the adapters'
// cached path. Node keeps only the first of repeated Authorization headers in `headers` (Node.js
// docs, http, "message.headers": duplicates of authorization are discarded), and `headersDistinct`,
// which keeps them apart, builds arrays for every header on first read (about 2 µs a request);
// counting the name in `rawHeaders` costs a small fraction of that. Structural (no node:* import).

/** What is read from a request: Node's `headers` and `rawHeaders` (an IncomingMessage, or HTTP/2's compatibility request). */
export interface RawHeadersSource {
  /** Node's parsed headers (lower-cased names; only the first of repeated Authorization headers). */
  headers?:
    | {
        /** The first Authorization header's value. */
        authorization?: string | undefined;
      }
    | undefined;
  /** Node's headers as received: names and values alternating, repeats kept. */
  rawHeaders?: readonly string[] | undefined;
}

const NAME = 'authorization';

/**
 * The Authorization value when the request carries the header exactly once, else undefined (none,
 * twice or more, or not a Node request): then the adapter reads `headersDistinct` and the full path
 * answers. Never throws.
 */
export function singleAuthorization(request: RawHeadersSource | null | undefined): string | undefined {
  const raw = request?.rawHeaders;
  const value = request?.headers?.authorization;
  if (!Array.isArray(raw) || typeof value !== 'string') return undefined;
  let seen = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name: unknown = raw[i];
    if (typeof name === 'string' && name.length === NAME.length && name.toLowerCase() === NAME && ++seen > 1) return undefined;
  }
  return seen === 1 ? value : undefined;
}
