// How the adapters read the Authorization header of a real IncomingMessage: the cached path's
// singleAuthorization must give what Node put in headers.authorization for every spelling a client
// can send, and nothing for a header Node did not parse (past maxHeadersCount, where rawHeaders
// runs on); the full path's requestAuthorization must show every copy of a repeated header.
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestAuthorization, singleAuthorization } from '../src/index.js';

let server: ReturnType<typeof createServer>;
let port: number;
const seen: Array<{ single: string | undefined; full: string | readonly string[] | undefined; parsed: string | undefined; distinct: string[] | undefined }> = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    // Read before headers or headersDistinct is built, as the adapters do.
    const single = singleAuthorization(req);
    seen.push({ single, full: requestAuthorization(req), parsed: req.headers.authorization, distinct: req.headersDistinct.authorization });
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Send raw header lines (so spacing and repeats are exactly as written) and wait for the answer. */
function send(headerLines: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${headerLines.map((line) => `${line}\r\n`).join('')}\r\n`));
    socket.on('data', () => undefined);
    socket.on('end', resolve);
    socket.on('error', reject);
  });
}

describe('singleAuthorization on a real Node request', () => {
  it('gives the value Node puts in headers.authorization, whatever the spacing and casing', async () => {
    const lines = ['Authorization: Bearer abc', 'authorization:Bearer abc', 'AUTHORIZATION:   Bearer abc   ', 'Authorization: \tBearer  two spaces\t', 'Authorization:'];
    for (const line of lines) await send([line]);
    expect(seen).toHaveLength(lines.length);
    for (const { single, parsed, distinct } of seen) {
      expect(single).toBe(parsed);
      expect(distinct).toEqual([parsed]);
    }
    seen.length = 0;
  });

  it('gives nothing when the header is absent or repeated (headersDistinct then shows every copy to the full path)', async () => {
    await send(['Accept: */*']);
    await send(['Authorization: Bearer a', 'Authorization: Bearer b']);
    expect(seen.map((s) => s.single)).toEqual([undefined, undefined]);
    expect(seen[1]!.distinct).toEqual(['Bearer a', 'Bearer b']);
    seen.length = 0;
  });

  // Node parses at most maxHeadersCount headers (1,000 by default) into headers and
  // headersDistinct, but rawHeaders can hold more: a header there is one the app never sees.
  const fillers = (count: number) => Array.from({ length: count }, (_, i) => `X-Filler-${i}: ${i}`);

  it("gives nothing for an Authorization header past Node's header limit, which the app never sees", async () => {
    await send([...fillers(998), 'Authorization: Bearer hidden']);
    const [{ single, full, parsed }] = seen.splice(0) as [(typeof seen)[number]];
    expect(parsed).toBeUndefined();
    expect(single).toBeUndefined();
    expect(full).toBeUndefined();
  });

  it('shows the full path both copies when the second is past the limit', async () => {
    await send(['Authorization: Bearer a', ...fillers(997), 'Authorization: Bearer b']);
    const [{ single, full, distinct }] = seen.splice(0) as [(typeof seen)[number]];
    expect(distinct).toEqual(['Bearer a']);
    expect(single).toBeUndefined();
    expect(full).toEqual(['Bearer a', 'Bearer b']);
  });
});
