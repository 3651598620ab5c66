// passport-azure-ad's BearerStrategy insists on an https metadata URL, so the fake is put behind
// an https proxy on loopback with a throwaway certificate (made with openssl, if present).
// Certificate checks are turned off for this benchmark process only: the traffic never leaves
// 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BearerStrategy } from 'passport-azure-ad';
import type { Fixtures } from './fixtures.js';
import type { Peer } from './peers.js';

function throwawayCertificate(): { key: Buffer; cert: Buffer } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'bench-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } catch {
    return undefined;
  }
}

/** The fake's v2 metadata URL behind an https proxy, or undefined when no certificate can be made. */
export async function httpsMetadataUrl(fixtures: Fixtures): Promise<string | undefined> {
  const tls = throwawayCertificate();
  if (!tls) return undefined;
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  const proxy = createServer(tls, (req, res) => {
    void fetch(`${fixtures.server.url}${req.url ?? '/'}`).then(async (upstream) => {
      const body = (await upstream.text()).replaceAll(fixtures.server.url, `https://127.0.0.1:${(proxy.address() as AddressInfo).port}`);
      res.writeHead(upstream.status, { 'content-type': 'application/json' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
  proxy.unref();
  return `https://127.0.0.1:${(proxy.address() as AddressInfo).port}/${fixtures.entra.tenantId}/v2.0/.well-known/openid-configuration`;
}

export function passportBearer(fixtures: Fixtures, metadataUrl: string): Peer {
  const strategy = new BearerStrategy(
    {
      identityMetadata: metadataUrl,
      clientID: fixtures.audience,
      audience: fixtures.audience,
      validateIssuer: true,
      issuer: fixtures.issuer,
      loggingLevel: 'error',
      loggingNoPII: true,
    },
    (token: unknown, done: (error: unknown, user?: unknown, info?: unknown) => void) => done(null, token, token),
  );
  const verify = (token: string) =>
    new Promise((resolve, reject) => {
      // What passport does per request: a fresh object over the strategy with its callbacks.
      const attempt = Object.create(strategy) as InstanceType<typeof BearerStrategy> & Record<string, unknown>;
      attempt.success = resolve;
      attempt.fail = (reason: unknown) => reject(new Error(`refused: ${String(reason)}`));
      attempt.error = reject;
      (attempt as unknown as { authenticate(req: unknown, options: unknown): void }).authenticate({ headers: { authorization: `Bearer ${token}` }, query: {}, body: {} }, {});
    });
  return { name: 'passport-azure-ad BearerStrategy', verify };
}
