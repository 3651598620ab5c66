// The gateway of user story 5, assembled: Entra forward-auth (from forward-auth.yaml) and a real
// proxy (nginx or Caddy, from nginx/default.conf or caddy/Caddyfile) in front of a backend. The
// proxy asks forward-auth about every request; nothing of ours sits in the request path.
import { createForwardAuthServer, loadConfig, type ForwardAuthServer } from '@entra-verify/forward-auth';
import { fileURLToPath } from 'node:url';
import { startProxy, type ProxyName, type RunningProxy } from './proxies.js';

export interface GatewayOptions {
  proxy: ProxyName;
  /** The backend, `127.0.0.1:<port>`. */
  backend: string;
  /** Named values for forward-auth.yaml: TENANT_ID, API_CLIENT_ID, ALLOWED_CLIENT_APP. */
  env: Record<string, string | undefined>;
  /** Key-set fetches (the fake Entra's loopback fetch in tests and demos). */
  fetch?: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  /** Another configuration file instead of forward-auth.yaml (an API Management policy, say). */
  configPath?: string;
  /** forward-auth's JSON log lines; default: discarded. */
  log?: (line: string) => void;
}

export interface RunningGateway {
  /** The proxy's URL: where clients send requests. */
  url: string;
  proxy: RunningProxy;
  forwardAuth: ForwardAuthServer;
  forwardAuthUrl: string;
  close(): Promise<void>;
}

export const GATEWAY_CONFIG = fileURLToPath(new URL('../forward-auth.yaml', import.meta.url));

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const configPath = options.configPath ?? GATEWAY_CONFIG;
  const load = () => loadConfig(configPath, { env: options.env, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const write = options.log ?? (() => {});
  const forwardAuth = createForwardAuthServer({
    settings: await load(),
    reload: load,
    logger: { log: (level, msg, fields) => write(JSON.stringify({ level, msg, ...fields })) },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const forwardAuthUrl = await forwardAuth.listen(0, '127.0.0.1');
  let proxy: RunningProxy;
  try {
    proxy = await startProxy(options.proxy, { forwardAuth: new URL(forwardAuthUrl).host, backend: options.backend });
  } catch (error) {
    await forwardAuth.shutdown();
    throw error;
  }
  return {
    url: proxy.url,
    proxy,
    forwardAuth,
    forwardAuthUrl,
    close: async () => {
      await proxy.close();
      await forwardAuth.shutdown();
    },
  };
}
