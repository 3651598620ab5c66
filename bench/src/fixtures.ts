// Tokens and keys for the benchmarks: a fake Entra ID on loopback (every library fetches its key
// set over real HTTP), and many distinct Entra-shaped RS256 tokens signed quickly with
// node:crypto so that no library can win by caching a verification.
import { createFakeEntra, type FakeEntra, type ListeningFakeEntra } from '@entra-verify/testkit';
import { KeyObject, sign } from 'node:crypto';

export interface Fixtures {
  entra: FakeEntra;
  server: ListeningFakeEntra;
  issuer: string;
  audience: string;
  jwksUri: string;
  jwks: { keys: Array<Record<string, unknown>> };
  /** Valid, distinct tokens (differing uti/aio). */
  tokens: string[];
  /** Sign more tokens like the template, e.g. for other tenants. */
  signLike(count: number, claims?: (i: number) => Record<string, unknown>): string[];
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export async function createFixtures(tokenCount: number): Promise<Fixtures> {
  const entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read'] }] });
  const server = await entra.listen();
  const template = await entra.mint({ expiresIn: 6 * 3600 });
  const [headerSegment = '', payloadSegment = ''] = template.split('.');
  const header = JSON.parse(Buffer.from(headerSegment, 'base64url').toString()) as Record<string, unknown>;
  const claims = JSON.parse(Buffer.from(payloadSegment, 'base64url').toString()) as Record<string, unknown>;
  const key = KeyObject.from(entra.keys.current.privateKey);
  const signLike = (count: number, extra?: (i: number) => Record<string, unknown>) =>
    Array.from({ length: count }, (_, i) => {
      const input = `${b64(header)}.${b64({ ...claims, uti: `bench${i}`.padEnd(22, 'x'), ...extra?.(i) })}`;
      return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
    });
  const jwksUri = `${server.url}/${entra.tenantId}/discovery/v2.0/keys`;
  return {
    entra,
    server,
    issuer: entra.issuer(2),
    audience: entra.api.appId,
    jwksUri,
    jwks: (await (await fetch(jwksUri)).json()) as Fixtures['jwks'],
    tokens: signLike(tokenCount),
    signLike,
  };
}
