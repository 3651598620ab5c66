// Tokens and keys for the benchmarks: a fake Entra ID on loopback (every library fetches its key
// set over real HTTP), and many distinct RS256 tokens signed with the fake's key so that no
// library can win by caching a verification. Every token signed here differs from every other
// one signed in the same process (its `uti` carries a process-wide serial number).
import { createFakeEntra, type FakeEntra, type ListeningFakeEntra } from '@entra-verify/testkit';
import { createPrivateKey, KeyObject, sign } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * Token sizes of the micro benchmark:
 * - `small`: the fewest claims an Entra v2 access token carries and entra-verify accepts (aud, iss,
 *   iat, exp, azp, scp, tid, ver, uti): about 850 bytes, most of it the RSA-2048 signature;
 * - `entra`: what Entra issues for a delegated call (the fake's 17 claims, ~1.3 KB);
 * - `large`: the same with 120 `groups` and 12 `roles` (~8 KB; Entra puts up to 200 groups in a
 *   JWT before it switches to the overage claim).
 */
export type TokenSize = 'small' | 'entra' | 'large';
export const TOKEN_SIZES: readonly TokenSize[] = ['small', 'entra', 'large'];

export interface Fixtures {
  entra: FakeEntra;
  server: ListeningFakeEntra;
  issuer: string;
  audience: string;
  jwksUri: string;
  jwks: { keys: Array<Record<string, unknown>> };
  /** Valid, distinct, Entra-sized tokens (differing uti). */
  tokens: string[];
  /** Sign more tokens like the template, e.g. for other tenants (on this thread). */
  signLike(count: number, claims?: (i: number) => Record<string, unknown>): string[];
  /** The same, signed on worker threads (one per core). */
  signMany(count: number, claims?: (i: number) => Record<string, unknown>): Promise<string[]>;
  /** `count` distinct valid tokens of one size, signed on worker threads. */
  signSized(size: TokenSize, count: number): Promise<string[]>;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A process-wide serial number in every token's uti: no two tokens signed here are alike. */
let serial = 0;
const uti = () => `bench${(serial++).toString(36)}`.padEnd(22, 'x');

/** RS256 signatures of `inputs` (`header.payload`), on one worker thread per core. */
async function signInputs(pem: string, inputs: string[]): Promise<string[]> {
  if (inputs.length < 200) {
    const key = createPrivateKey(pem);
    return inputs.map((input) => sign('sha256', Buffer.from(input), key).toString('base64url'));
  }
  const threads = Math.max(1, Math.min(availableParallelism(), 8));
  const chunk = Math.ceil(inputs.length / threads);
  const parts = await Promise.all(
    Array.from(
      { length: threads },
      (_, t) =>
        new Promise<string[]>((resolve, reject) => {
          const worker = new Worker(new URL('./sign-worker.js', import.meta.url), { workerData: { pem, inputs: inputs.slice(t * chunk, (t + 1) * chunk) } });
          worker.once('message', (signatures: string[]) => {
            resolve(signatures);
            void worker.terminate();
          });
          worker.once('error', reject);
        }),
    ),
  );
  return parts.flat();
}

export async function createFixtures(tokenCount: number): Promise<Fixtures> {
  const entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read'] }] });
  const server = await entra.listen();
  const template = await entra.mint({ expiresIn: 6 * 3600 });
  const [headerSegment = '', payloadSegment = ''] = template.split('.');
  const header = JSON.parse(Buffer.from(headerSegment, 'base64url').toString()) as Record<string, unknown>;
  const claims = JSON.parse(Buffer.from(payloadSegment, 'base64url').toString()) as Record<string, unknown>;
  const key = KeyObject.from(entra.keys.current.privateKey);
  const pem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
  const headerPart = b64(header);
  const inputFor = (claimSet: Record<string, unknown>) => `${headerPart}.${b64({ ...claimSet, uti: uti() })}`;
  const likeTemplate = (count: number, extra?: (i: number) => Record<string, unknown>) => Array.from({ length: count }, (_, i) => inputFor({ ...claims, ...extra?.(i) }));
  const finish = (inputs: string[], signatures: string[]) => inputs.map((input, i) => `${input}.${signatures[i]}`);
  const signLike = (count: number, extra?: (i: number) => Record<string, unknown>) =>
    likeTemplate(count, extra).map((input) => `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`);
  const signMany = async (count: number, extra?: (i: number) => Record<string, unknown>) => {
    const inputs = likeTemplate(count, extra);
    return finish(inputs, await signInputs(pem, inputs));
  };
  const guid = (i: number, salt: number) => `${(salt * 0x1000 + i).toString(16).padStart(8, '0')}-0f0f-4a4a-8b8b-${(i * 7919).toString(16).padStart(12, '0')}`;
  const small = { aud: claims.aud, iss: claims.iss, iat: claims.iat, exp: claims.exp, azp: claims.azp, scp: claims.scp, tid: claims.tid, ver: claims.ver };
  const large = { ...claims, groups: Array.from({ length: 120 }, (_, i) => guid(i, 1)), roles: Array.from({ length: 12 }, (_, i) => `Tasks.Role${i}.ReadWrite`) };
  const signSized = async (size: TokenSize, count: number) => {
    const claimSet = size === 'small' ? small : size === 'large' ? large : claims;
    const inputs = Array.from({ length: count }, () => inputFor(claimSet));
    return finish(inputs, await signInputs(pem, inputs));
  };
  const jwksUri = `${server.url}/${entra.tenantId}/discovery/v2.0/keys`;
  return {
    entra,
    server,
    issuer: entra.issuer(2),
    audience: entra.api.appId,
    jwksUri,
    jwks: (await (await fetch(jwksUri)).json()) as Fixtures['jwks'],
    tokens: await signMany(tokenCount),
    signLike,
    signMany,
    signSized,
  };
}
