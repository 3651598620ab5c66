// The testkit is checked with jose alone (never with @entra-verify/core), so core is measured
// against an issuer whose output was verified independently.
import { createLocalJWKSet, jwtVerify, type JWTPayload, type JWTVerifyOptions } from 'jose';
import type { FakeEntra } from '../../src/index.js';

export async function fetchJson<T = Record<string, unknown>>(entra: FakeEntra, url: string): Promise<T> {
  const response = await entra.fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as T;
}

export async function verifyWithJose(
  entra: FakeEntra,
  token: string,
  options: JWTVerifyOptions & { jwksUri?: string } = {},
): Promise<{ payload: JWTPayload; protectedHeader: Record<string, unknown> }> {
  const { jwksUri = entra.jwksUri(), ...verifyOptions } = options;
  const jwks = createLocalJWKSet(await fetchJson(entra, jwksUri));
  return jwtVerify(token, jwks, { algorithms: ['RS256'], ...verifyOptions });
}

export function decodePayload(token: string): Record<string, unknown> {
  const [, payload = ''] = token.split('.');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export function decodeHeader(token: string): Record<string, unknown> {
  const [header = ''] = token.split('.');
  return JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
