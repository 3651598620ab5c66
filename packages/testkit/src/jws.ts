// Compact JWS helpers. The fake signs with jose; the raw helpers exist because attack tokens
// need what a well-behaved signer refuses to produce (alg "none", odd headers, tampering).
import { base64url, CompactSign } from 'jose';
import type { CryptoKeyLike } from './portable-types.js';

/** A JSON object, such as a JOSE header. */
export type JsonObject = Record<string, unknown>;

const encoder = new TextEncoder();

export const encodeSegment = (value: unknown): string =>
  base64url.encode(encoder.encode(typeof value === 'string' ? value : JSON.stringify(value)));

export const decodeSegment = (segment: string): unknown =>
  JSON.parse(new TextDecoder().decode(base64url.decode(segment)));

/** RS256-sign any JSON payload (object, array, ...) under the given protected header. */
export async function signRs256(header: JsonObject, payload: unknown, privateKey: CryptoKeyLike): Promise<string> {
  const signer = new CompactSign(encoder.encode(JSON.stringify(payload)));
  // jose validates `crit` and `b64`; attack tokens that need those are assembled by signRaw.
  return signer.setProtectedHeader({ ...header, alg: 'RS256' } as never).sign(privateKey);
}

/** Sign `base64url(header).base64url(payload)` exactly as given, with RSASSA-PKCS1-v1_5 SHA-256. */
export async function signRaw(headerSegment: string, payloadSegment: string, privateKey: CryptoKeyLike): Promise<string> {
  const input = encoder.encode(`${headerSegment}.${payloadSegment}`);
  const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', privateKey, input);
  return `${headerSegment}.${payloadSegment}.${base64url.encode(new Uint8Array(signature))}`;
}

/** HMAC-SHA256 sign: used for the classic "RSA public key as HMAC secret" confusion attack. */
export async function signHs256(header: JsonObject, payload: unknown, secret: Uint8Array): Promise<string> {
  const headerSegment = encodeSegment({ ...header, alg: 'HS256' });
  const payloadSegment = encodeSegment(payload);
  const key = await crypto.subtle.importKey('raw', secret as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`${headerSegment}.${payloadSegment}`));
  return `${headerSegment}.${payloadSegment}.${base64url.encode(new Uint8Array(mac))}`;
}
