// Start the real nginx or Caddy of this machine on a loopback port, with the example's own
// configuration files (nginx/default.conf, caddy/Caddyfile) pointed at loopback addresses instead
// of the docker-compose service names. No root, no system service: a private prefix directory,
// stopped (and removed) by close().
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ProxyName = 'nginx' | 'caddy';

export interface RunningProxy {
  name: ProxyName;
  url: string;
  /** What the proxy wrote to stderr (its error log), for failing tests. */
  log(): string;
  close(): Promise<void>;
}

export interface ProxyTargets {
  /** forward-auth's address, `127.0.0.1:<port>`. */
  forwardAuth: string;
  /** The backend's address, `127.0.0.1:<port>`. */
  backend: string;
  /** Another site configuration instead of the example's (the benchmark's proxy without auth), with the same service names. */
  site?: string;
}

const here = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/** The binary's path, or undefined when the proxy is not installed (apt-get install -y nginx caddy). */
export function proxyBinary(name: ProxyName): string | undefined {
  const candidates = name === 'nginx' ? ['nginx', '/usr/sbin/nginx'] : ['caddy', '/usr/bin/caddy'];
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, name === 'nginx' ? ['-v'] : ['version'], { stdio: 'ignore' });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

/** A free loopback port (bind to 0, read it, release it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the proxy exited with ${child.exitCode}:\n${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the proxy did not listen on ${port} within 10 s:\n${log()}`);
}

/** nginx's main configuration around the example's server block. */
function nginxConfig(dir: string, port: number, targets: ProxyTargets): string {
  const site = (targets.site ?? readFileSync(here('nginx/default.conf'), 'utf8'))
    .replace('server forward-auth:8080;', `server ${targets.forwardAuth};`)
    .replace('server backend:3000;', `server ${targets.backend};`)
    .replace('listen 8000;', `listen 127.0.0.1:${port};`);
  // Running as root, nginx would switch its workers to "nobody", who cannot use this directory.
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  return `${user}worker_processes 1;
pid ${dir}/nginx.pid;
error_log stderr warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${site}
}
`;
}

function caddyConfig(port: number, targets: ProxyTargets): string {
  const site = (targets.site ?? readFileSync(here('caddy/Caddyfile'), 'utf8'))
    .replace('forward_auth forward-auth:8080', `forward_auth ${targets.forwardAuth}`)
    .replace('reverse_proxy backend:3000', `reverse_proxy ${targets.backend}`)
    .replace(/^:8000 \{/m, `http://127.0.0.1:${port} {`);
  return `{\n\tadmin off\n}\n\n${site}`;
}

/** Start nginx or Caddy on a free loopback port in front of `targets`. */
export async function startProxy(name: ProxyName, targets: ProxyTargets): Promise<RunningProxy> {
  const binary = proxyBinary(name);
  if (!binary) throw new Error(`${name} is not installed (apt-get install -y ${name})`);
  const dir = mkdtempSync(join(tmpdir(), `entra-${name}-`));
  const port = await freePort();
  let output = '';
  let child: ChildProcess;
  if (name === 'nginx') {
    const file = join(dir, 'nginx.conf');
    writeFileSync(file, nginxConfig(dir, port, targets));
    const test = spawnSync(binary, ['-e', 'stderr', '-p', dir, '-c', file, '-t'], { encoding: 'utf8' });
    if (test.status !== 0) throw new Error(`nginx -t refused the configuration:\n${test.stderr}`);
    child = spawn(binary, ['-e', 'stderr', '-p', dir, '-c', file, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  } else {
    const file = join(dir, 'Caddyfile');
    writeFileSync(file, caddyConfig(port, targets));
    // Caddy keeps its data and config directories under these; keep them private to this run.
    const env = { ...process.env, HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config') };
    child = spawn(binary, ['run', '--config', file, '--adapter', 'caddyfile'], { stdio: ['ignore', 'ignore', 'pipe'], env });
  }
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const log = () => output;
  try {
    await waitForPort(port, child, log);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    log,
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
