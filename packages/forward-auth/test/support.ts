// Shared by the forward-auth tests: a fake Entra on loopback and a service started from a
// configuration object (written to a temporary YAML file, read back the way the command does).
import { createFakeEntra, type FakeEntra, type ListeningFakeEntra } from '@entra-verify/testkit';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createForwardAuthServer, loadConfig, type ForwardAuthServer } from '../src/index.js';

export interface Fixture {
  entra: FakeEntra;
  server: ListeningFakeEntra;
  close(): Promise<void>;
}

export async function fakeEntra(): Promise<Fixture> {
  const entra = await createFakeEntra({ apis: [{ scopes: ['Orders.Read', 'Orders.Write'] }], clientApps: [{}, {}] });
  const server = await entra.listen();
  return { entra, server, close: () => server.close() };
}

/** Write `content` to a file in a fresh temporary directory. */
export function tempFile(name: string, content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'forward-auth-test-')), name);
  writeFileSync(file, content);
  return file;
}

export interface Service {
  url: string;
  service: ForwardAuthServer;
  logs: string[];
  file: string;
  close(): Promise<void>;
}

/** Start the service from a configuration object, with key fetches going to the fake. */
export async function startService(fixture: Fixture, config: Record<string, unknown>, env: Record<string, string> = {}): Promise<Service> {
  const file = tempFile('forward-auth.yaml', stringify(config));
  const load = () => loadConfig(file, { env, fetch: fixture.server.fetch });
  const logs: string[] = [];
  const service = createForwardAuthServer({ settings: await load(), reload: load, fetch: fixture.server.fetch, logger: { log: (level, msg, fields) => logs.push(JSON.stringify({ level, msg, ...fields })) } });
  const url = await service.listen(0, '127.0.0.1');
  return { url, service, logs, file, close: () => service.shutdown() };
}

/** The verifier section for the fake's API. */
export const verifierFor = (entra: FakeEntra) => ({ tenant: entra.tenantId, clientId: entra.api.appId });
