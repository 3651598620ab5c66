// The Authorization header of a Node.js request when it was sent exactly once, for the adapters'
// cached path. Node keeps only the first of repeated Authorization headers in `headers` (Node.js
// docs, http, "message.headers": duplicates of authorization are discarded), and `headersDistinct`,
// which keeps them apart, builds arrays for every header on first read (about 2 µs a request):
// counting the name in `rawHeaders` costs a small fraction of that. The value is read there too,
// as sent: `headers` and `headersDistinct` both copy it from `rawHeaders` unchanged
// (node:_http_incoming), and the full path reads `headersDistinct`: a header the client sent is
// judged as sent on both paths, even if an app edited `req.headers` before the middleware ran.
// test/single-authorization.node.test.ts checks the values agree on a real request.
// Structural (no node:* import).

/** What is read from a request: Node's `rawHeaders` (an IncomingMessage, or HTTP/2's compatibility request). */
export interface RawHeadersSource {
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
  // Names and values alternate: an odd length is not a list Node made.
  if (!Array.isArray(raw) || raw.length % 2 !== 0) return undefined;
  let found: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name: unknown = raw[i];
    if (typeof name === 'string' && name.length === NAME.length && name.toLowerCase() === NAME) {
      if (found !== undefined) return undefined;
      const value: unknown = raw[i + 1];
      if (typeof value !== 'string') return undefined;
      found = value;
    }
  }
  return found;
}
