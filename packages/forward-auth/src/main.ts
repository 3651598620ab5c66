// `entra-verify-forward-auth`: load the configuration, serve, reload on SIGHUP, drain on SIGTERM.
import { ForwardAuthConfigError } from './config.js';
import { loadConfig } from './load-config.js';
import { createForwardAuthServer, type ForwardAuthServer } from './server.js';

const USAGE = `Usage: entra-verify-forward-auth --config <file> [--port <port>] [--host <address>]
       entra-verify-forward-auth --check --config <file>

  --config <file>   forward-auth.yaml, .json, or an API Management policy .xml
                    (default: $FORWARD_AUTH_CONFIG)
  --port <port>     overrides listen.port (default 8080; also $PORT)
  --host <address>  overrides listen.host (default 0.0.0.0)
  --check           validate the configuration, print every problem, and exit (0 valid, 1 not)

Proxies call /verify (nginx auth_request, Caddy forward_auth, Traefik forwardAuth, ingress-nginx
auth-url) or <envoyPathPrefix>/<original path> (Envoy ext_authz). /healthz, /readyz, /metrics.
SIGHUP reloads the configuration; SIGTERM drains requests in flight and exits.`;

/** Where the command writes and what it may change; the real process in bin.ts. */
export interface ForwardAuthCommandIo {
  /** Environment (FORWARD_AUTH_CONFIG, PORT, named values). */
  env: Readonly<Record<string, string | undefined>>;
  /** Human-readable output (usage, --check results). */
  stdout(text: string): void;
  /** Errors. */
  stderr(text: string): void;
  /** Register a signal handler. */
  onSignal(signal: 'SIGHUP' | 'SIGTERM' | 'SIGINT', handler: () => void): void;
}

interface Arguments {
  config?: string;
  port?: number;
  host?: string;
  check: boolean;
  help: boolean;
}

function parseArguments(argv: readonly string[]): Arguments {
  const parsed: Arguments = { check: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const next = inline ?? argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    if (flag === '--config' || flag === '-c') parsed.config = value();
    else if (flag === '--port') {
      const port = Number(value());
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be a port number');
      parsed.port = port;
    } else if (flag === '--host') parsed.host = value();
    else if (flag === '--check') parsed.check = true;
    else if (flag === '--help' || flag === '-h') parsed.help = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  return parsed;
}

/** Run the command. Resolves to the exit code for --check and usage errors; for serving, to the running server. */
export async function main(argv: readonly string[], io: ForwardAuthCommandIo): Promise<number | ForwardAuthServer> {
  let args: Arguments;
  try {
    args = parseArguments(argv);
  } catch (error) {
    io.stderr(`entra-verify-forward-auth: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    io.stdout(USAGE);
    return 0;
  }
  const path = args.config ?? io.env.FORWARD_AUTH_CONFIG;
  if (!path) {
    io.stderr(`entra-verify-forward-auth: no configuration: pass --config <file> or set FORWARD_AUTH_CONFIG\n\n${USAGE}`);
    return 2;
  }
  const load = () => loadConfig(path, { env: io.env });
  let settings;
  try {
    settings = await load();
  } catch (error) {
    io.stderr(error instanceof ForwardAuthConfigError ? error.message : `entra-verify-forward-auth: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  if (args.check) {
    io.stdout(`${path}: valid (${settings.routes.routes.length} route${settings.routes.routes.length === 1 ? '' : 's'}, tenant ${settings.verifier.tenant}, proxy ${settings.proxy})`);
    return 0;
  }
  const service = createForwardAuthServer({ settings, reload: load });
  const envPort = io.env.PORT === undefined ? undefined : Number(io.env.PORT);
  await service.listen(args.port ?? (Number.isInteger(envPort) ? envPort : undefined), args.host);
  io.onSignal('SIGHUP', () => void service.reload());
  const stop = () => void service.shutdown();
  io.onSignal('SIGTERM', stop);
  io.onSignal('SIGINT', stop);
  return service;
}
