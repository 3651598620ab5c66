// Serves the SPA: index.html, the page's code bundled by esbuild on start (no build step to forget),
// and /config.json with the registration it runs against.
import { listenOnLoopback, type RunningServer } from '@entra-verify/example-support';
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { SpaConfig } from './app/config.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Bundles src/app/main.ts (the .ts sources ship beside dist/, so this works from either). */
export async function bundleSpa(): Promise<string> {
  const result = await build({
    entryPoints: [here('../src/app/main.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

export interface SpaServer extends RunningServer {
  /** Set once the rest of the environment is known (the config names the server's own URL). */
  setConfig(config: SpaConfig): void;
}

export async function startSpaServer(port = 0): Promise<SpaServer> {
  const [html, script] = await Promise.all([readFile(here('../public/index.html'), 'utf8'), bundleSpa()]);
  let config: SpaConfig | undefined;
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const send = (type: string, body: string) => {
      response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (path === '/app.js') return send('text/javascript; charset=utf-8', script);
    if (path === '/config.json' && config) return send('application/json', JSON.stringify(config));
    if (path === '/' || path === '/index.html') return send('text/html; charset=utf-8', html);
    response.writeHead(404).end();
  });
  const running = await listenOnLoopback(server, port);
  return { ...running, setConfig: (next) => void (config = next) };
}
