// The libraries users pick today, each configured the way its documentation shows for an Entra
// API: issuer, audience and the key set URL (served by the fake on loopback).
import { createEntraVerifier } from '@entra-verify/core';
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

/** The limit: node:crypto's RSA verify of the signature alone, inputs already decoded. */
export function rawVerify(fixtures: Fixtures): { run(i: number): boolean } {
  const key = createPublicKey({ key: fixtures.jwks.keys[0] as never, format: 'jwk' });
  const inputs = fixtures.tokens.map((token) => {
    const dot = token.lastIndexOf('.');
    return [Buffer.from(token.slice(0, dot)), Buffer.from(token.slice(dot + 1), 'base64url')] as const;
  });
  return { run: (i) => cryptoVerify('sha256', inputs[i % inputs.length]![0], key, inputs[i % inputs.length]![1]) };
}

export function ours(fixtures: Fixtures, resultCache = true): Peer {
  const verifier = createEntraVerifier({ tenant: fixtures.entra.tenantId, clientId: fixtures.audience, fetch: fixtures.server.fetch, ...(resultCache ? {} : { resultCache: false }) });
  return { name: resultCache ? 'entra-verify' : 'entra-verify (result cache off)', verify: (token) => verifier.verify(token) };
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
    { name: 'aws-jwt-verify JwtVerifier', verify: (token) => aws.verify(token) },
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
