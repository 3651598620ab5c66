// The libraries users pick today, each configured the way its documentation shows for an Entra
// API: issuer, audience and the key set URL (served by the fake on loopback).
import { createEntraVerifier, type EntraVerifier } from '@entra-verify/core';
import { JwtVerifier } from 'aws-jwt-verify';
import { auth as oauth2JwtBearer } from 'express-oauth2-jwt-bearer';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import jwt, { type JwtHeader, type SigningKeyCallback } from 'jsonwebtoken';
import jwksRsa from 'jwks-rsa';
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import type { Fixtures } from './fixtures.js';
import { passportBearer } from './passport-peer.js';

export interface Peer {
  name: string;
  /** Resolves when the token is accepted; rejects otherwise. */
  verify(token: string): Promise<unknown> | unknown;
}

/** The limit: node:crypto's RSA verify of the signature alone, inputs already decoded (`tokens` cycled). */
export function rawVerify(fixtures: Fixtures, tokens: readonly string[] = fixtures.tokens): (i: number) => boolean {
  const key = createPublicKey({ key: fixtures.jwks.keys[0] as never, format: 'jwk' });
  const inputs = tokens.map((token) => {
    const dot = token.lastIndexOf('.');
    return [Buffer.from(token.slice(0, dot)), Buffer.from(token.slice(dot + 1), 'base64url')] as const;
  });
  return (i) => {
    const [data, signature] = inputs[i % inputs.length]!;
    return cryptoVerify('sha256', data, key, signature);
  };
}

/**
 * The parsing floor: the least any verifier must do with a token it has not seen. Split it at its
 * dots, base64url-decode and JSON.parse the header and the payload, decode the signature, and
 * verify it over the signing input with node:crypto (the key already imported). No claim is
 * checked and nothing is built: whatever a verifier does beyond this is its own overhead.
 */
export function parsingFloor(fixtures: Fixtures, tokens: readonly string[]): (i: number) => unknown {
  const key = createPublicKey({ key: fixtures.jwks.keys[0] as never, format: 'jwk' });
  return (i) => {
    const token = tokens[i % tokens.length]!;
    const first = token.indexOf('.');
    const last = token.lastIndexOf('.');
    const header = JSON.parse(Buffer.from(token.slice(0, first), 'base64url').toString()) as { alg?: unknown };
    const payload = JSON.parse(Buffer.from(token.slice(first + 1, last), 'base64url').toString()) as { exp?: unknown };
    if (!cryptoVerify('sha256', Buffer.from(token.slice(0, last)), key, Buffer.from(token.slice(last + 1), 'base64url'))) throw new Error('bad signature');
    return header.alg === 'RS256' ? payload : undefined;
  };
}

/** entra-verify with the defaults (the result cache on), or with `options` added (e.g. `{ resultCache: false }`). */
export function ours(fixtures: Fixtures, options: Record<string, unknown> = {}): Peer & { verifier: EntraVerifier } {
  const verifier = createEntraVerifier({ tenant: fixtures.entra.tenantId, clientId: fixtures.audience, fetch: fixtures.server.fetch, ...options });
  return { name: 'entra-verify', verify: (token) => verifier.verify(token), verifier };
}

/**
 * aws-jwt-verify's synchronous `verifySync`, with the key set handed over up front with
 * `cacheJwks` (its documented preload: verifySync never fetches).
 */
export function awsVerifySync(fixtures: Fixtures): Peer {
  const aws = JwtVerifier.create({ issuer: fixtures.issuer, audience: fixtures.audience, jwksUri: fixtures.jwksUri });
  aws.cacheJwks(fixtures.jwks as never);
  return { name: 'aws-jwt-verify JwtVerifier verifySync', verify: (token) => aws.verifySync(token) };
}

export function peers(fixtures: Fixtures, passportMetadataUrl: string | undefined): Peer[] {
  const { issuer, audience, jwksUri } = fixtures;
  const joseKeys = createRemoteJWKSet(new URL(jwksUri));
  // aws-jwt-verify fetches over https only: it gets the fake through the https proxy, or, where
  // no certificate could be made, the key set handed over with cacheJwks (its documented preload).
  const aws = JwtVerifier.create({ issuer, audience, jwksUri: passportMetadataUrl ? passportMetadataUrl.replace('v2.0/.well-known/openid-configuration', 'discovery/v2.0/keys') : jwksUri });
  if (!passportMetadataUrl) aws.cacheJwks(fixtures.jwks as never);
  const jwksClient = jwksRsa({ jwksUri, cache: true, rateLimit: true });
  const getKey = (header: JwtHeader, callback: SigningKeyCallback) => {
    jwksClient.getSigningKey(header.kid).then((key) => callback(null, key.getPublicKey()), (error: Error) => callback(error));
  };
  const bearer = oauth2JwtBearer({ issuer, audience, jwksUri, issuerBaseURL: `${fixtures.server.url}/${fixtures.entra.tenantId}/v2.0` });
  const list: Peer[] = [
    { name: 'jose jwtVerify + createRemoteJWKSet', verify: (token) => jwtVerify(token, joseKeys, { issuer, audience, algorithms: ['RS256'] }) },
    { name: 'aws-jwt-verify JwtVerifier verify (async)', verify: (token) => aws.verify(token) },
    {
      name: 'jsonwebtoken + jwks-rsa',
      verify: (token) =>
        new Promise((resolve, reject) => jwt.verify(token, getKey, { issuer, audience, algorithms: ['RS256'] }, (error, payload) => (error ? reject(error) : resolve(payload)))),
    },
    {
      name: 'express-oauth2-jwt-bearer',
      verify: (token) =>
        new Promise<void>((resolve, reject) => {
          // The fields an Express request gives it (it rebuilds the URL for DPoP checks).
          const headers: Record<string, string> = { authorization: `Bearer ${token}`, host: '127.0.0.1' };
          const req = { headers, query: {}, method: 'GET', protocol: 'http', originalUrl: '/data', url: '/data', get: (name: string) => headers[name.toLowerCase()], is: () => false, app: { get: () => undefined }, socket: {} } as never;
          void bearer(req, {} as never, (error?: unknown) => (error ? reject(error) : resolve()));
        }),
    },
  ];
  if (passportMetadataUrl) list.push(passportBearer(fixtures, passportMetadataUrl));
  return list;
}
