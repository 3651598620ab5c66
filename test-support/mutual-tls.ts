// Mutual TLS on loopback for the adapters' certificate-binding tests: a server certificate, two
// client certificates (one the token is bound to, one it is not), all made by the testkit's fake
// Entra, and a GET over node:https that presents a client certificate or none.
import type { FakeClientCertificate, FakeEntra } from '@entra-verify/testkit';
import { request, type ServerOptions } from 'node:https';
import { KeyObject } from 'node:crypto';

/** A certificate with the PEM key node:tls wants. */
export interface TlsIdentity {
  cert: string;
  key: string;
  /** RFC 8705 §3.1 thumbprint: what a token bound to this certificate carries in cnf x5t#S256. */
  thumbprintS256: string;
}

const identity = (made: FakeClientCertificate): TlsIdentity => ({
  cert: made.pem,
  key: KeyObject.from(made.privateKey).export({ format: 'pem', type: 'pkcs8' }) as string,
  thumbprintS256: made.thumbprintS256,
});

/** Server, bound client and other client identities. */
export async function mutualTlsIdentities(entra: FakeEntra) {
  const [server, client, other] = await Promise.all([entra.createClientCertificate(), entra.createClientCertificate(), entra.createClientCertificate()]);
  return { server: identity(server!), client: identity(client!), other: identity(other!) };
}

/**
 * Ask for a client certificate but let the handshake finish without a trusted one: the binding
 * check, not CA trust, decides (RFC 8705 §2.2 allows self-signed client certificates).
 */
export const mutualTlsServerOptions = (server: TlsIdentity): ServerOptions => ({ cert: server.cert, key: server.key, requestCert: true, rejectUnauthorized: false });

/** GET `url` over HTTPS with a bearer token and, when given, a client certificate. */
export function httpsGet(url: string, token: string, client?: TlsIdentity): Promise<{ status: number; challenge: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { authorization: `Bearer ${token}` }, rejectUnauthorized: false, ...(client ? { cert: client.cert, key: client.key } : {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, challenge: res.headers['www-authenticate'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The token claims that bind a token to `client` (Entra mTLS PoP). */
export const boundTo = (client: TlsIdentity) => ({ cnf: { 'x5t#S256': client.thumbprintS256 } });
