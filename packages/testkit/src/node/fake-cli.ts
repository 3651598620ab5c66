#!/usr/bin/env node
// `entra-verify-fake`: the fake Entra ID from the shell. `serve` runs it on loopback (its issuer is
// the loopback URL, so a local API points `cloud.authorityHost` at it); `token` asks the running
// fake to mint a token for curl.
import { parseArgs } from 'node:util';
import { createFakeEntra, type FakeEntra } from '../fake-entra.js';
import type { MintOptions } from '../mint.js';
import { startLoopbackServer } from './loopback-server.js';

const USAGE = `Usage:
  entra-verify-fake serve [--port 8400] [--tenant <guid>] [--api-client-id <guid>] [--scopes a,b] [--app-roles a,b] [--token-version 1|2]
  entra-verify-fake token [--server http://127.0.0.1:8400] [--scopes a,b] [--roles a,b] [--app-only] [--version 1|2] [--audience <aud>] [--expires-in <seconds>] [--tenant <guid>]`;

const MINT_PATH = '/testkit/mint';
const list = (value: string | undefined) => value?.split(',').map((s) => s.trim()).filter(Boolean);

class UsageError extends Error {}

function configurationHelp(entra: FakeEntra): string {
  return [
    'Configure your API for this fake:',
    `  createEntraVerifier({ tenant: '${entra.tenantId}', clientId: '${entra.api.appId}', cloud: { authorityHost: '${entra.cloud.authorityHost}' } })`,
    `  (env for the examples: TENANT_ID=${entra.tenantId} API_CLIENT_ID=${entra.api.appId})`,
  ].join('\n');
}

async function serve(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { port: { type: 'string', default: '8400' }, tenant: { type: 'string' }, 'api-client-id': { type: 'string' }, scopes: { type: 'string' }, 'app-roles': { type: 'string' }, 'token-version': { type: 'string' } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a port number');
  const version = values['token-version'] === undefined ? 2 : Number(values['token-version']);
  if (version !== 1 && version !== 2) throw new UsageError('--token-version must be 1 or 2');
  let entra: FakeEntra | undefined;
  // Bind first: the fake's issuer is the server's own URL, known once the port is.
  const server = await startLoopbackServer(async (request) => {
    if (!entra) return new Response('starting', { status: 503 });
    if (request.method === 'POST' && new URL(request.url).pathname === MINT_PATH) {
      const options = (await request.json().catch(() => ({}))) as MintOptions;
      return Response.json({ access_token: await entra.mint(options), configuration: configurationHelp(entra) });
    }
    return entra.fetch(request);
  }, { port });
  entra = await createFakeEntra({
    authorityHost: server.url,
    ...(values.tenant ? { tenants: [values.tenant] } : {}),
    apis: [{ ...(values['api-client-id'] ? { appId: values['api-client-id'] } : {}), scopes: list(values.scopes) ?? ['access_as_user'], appRoles: list(values['app-roles']) ?? [], accessTokenVersion: version }],
  });
  process.stdout.write(
    [
      `Fake Entra ID on ${server.url}`,
      `  tenant ${entra.tenantId}`,
      `  API    ${entra.api.appId} (${entra.api.identifierUri}), scopes ${entra.api.scopes.join(' ')}`,
      `  client ${entra.clientApp.clientId} (secret ${entra.clientApp.clientSecret})`,
      `  keys   ${server.url}/${entra.tenantId}/discovery/v2.0/keys`,
      configurationHelp(entra),
      `Tokens: npx entra-verify-fake token --server ${server.url} --scopes ${entra.api.scopes[0]}`,
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}

async function token(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { server: { type: 'string', default: 'http://127.0.0.1:8400' }, scopes: { type: 'string' }, roles: { type: 'string' }, 'app-only': { type: 'boolean', default: false }, version: { type: 'string' }, audience: { type: 'string' }, 'expires-in': { type: 'string' }, tenant: { type: 'string' } } });
  const options: MintOptions = {
    ...(values.scopes !== undefined ? { scopes: list(values.scopes)! } : {}),
    ...(values.roles !== undefined ? { roles: list(values.roles)! } : {}),
    ...(values['app-only'] ? { appOnly: true } : {}),
    ...(values.version ? { version: Number(values.version) as 1 | 2 } : {}),
    ...(values.audience ? { audience: values.audience } : {}),
    ...(values['expires-in'] ? { expiresIn: Number(values['expires-in']) } : {}),
    ...(values.tenant ? { tenantId: values.tenant } : {}),
  };
  if (options.version !== undefined && options.version !== 1 && options.version !== 2) throw new UsageError('--version must be 1 or 2');
  if (options.expiresIn !== undefined && !Number.isFinite(options.expiresIn)) throw new UsageError('--expires-in must be a number of seconds');
  let response: Response;
  try {
    response = await fetch(new URL(MINT_PATH, values.server), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(options) });
  } catch {
    process.stderr.write(`No fake Entra ID answers at ${values.server}. Start one with: npx entra-verify-fake serve\n`);
    return 1;
  }
  if (!response.ok) {
    process.stderr.write(`The fake answered ${response.status}: ${await response.text()}\n`);
    return 1;
  }
  const body = (await response.json()) as { access_token: string; configuration: string };
  // The token alone on stdout, so TOKEN=$(entra-verify-fake token) works; guidance on stderr.
  process.stdout.write(`${body.access_token}\n`);
  process.stderr.write(`${body.configuration}\n`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'serve') return await serve(rest);
    if (command === 'token') return await token(rest);
    if (command === '--help' || command === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`entra-verify-fake: ${(error as Error).message}\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`entra-verify-fake: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
