// A stand-in backend: it answers with what it received, streamed in chunks, and counts requests
// so tests can prove refused requests never arrived.
import { createServer, type Server } from 'node:http';

export interface EchoBackend {
  server: Server;
  received: Array<{ method: string; url: string; authorization: string | undefined; tenant: string | undefined; body: string; identity: Record<string, string | string[] | undefined> }>;
}

export function createEchoBackend(): EchoBackend {
  const received: EchoBackend['received'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const identity = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name.startsWith('x-entra-')));
      received.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, tenant: req.headers['x-entra-tenant-id'] as string | undefined, body, identity });
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'x-backend': 'echo' });
      res.write(`backend saw ${req.method} ${req.url}\n`);
      setTimeout(() => res.end(`body: ${body}\n`), 5);
    });
  });
  return { server, received };
}
