// Runs `use` against a Node server the test just started with `listen(0, '127.0.0.1')`, then closes it.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function withLoopbackServer<T>(server: Server, use: (url: string) => Promise<T>): Promise<T> {
  if (!server.listening) await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  try {
    return await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
