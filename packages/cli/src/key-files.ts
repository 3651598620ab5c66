// --decryption-key and --client-cert: files the operator names, read once, with an error that says
// which file is wrong and what it should hold.
import { createPrivateKey, X509Certificate, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { UsageError } from './doctor-options.js';

async function readText(file: string, option: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${option} ${file}: ${(error as Error).message}`);
  }
}

/** A private key from a PEM file or a JWK (JSON) file. */
export async function readDecryptionKey(file: string): Promise<KeyObject> {
  const text = await readText(file, '--decryption-key');
  try {
    const trimmed = text.trim();
    return trimmed.startsWith('{') ? createPrivateKey({ key: JSON.parse(trimmed) as JsonWebKey, format: 'jwk' }) : createPrivateKey(trimmed);
  } catch (error) {
    throw new UsageError(`--decryption-key ${file} is not a private key in PEM or JWK form: ${(error as Error).message}`);
  }
}

/** The DER bytes of a PEM certificate. */
export async function readClientCertificate(file: string): Promise<Uint8Array> {
  const text = await readText(file, '--client-cert');
  try {
    return new Uint8Array(new X509Certificate(text).raw);
  } catch (error) {
    throw new UsageError(`--client-cert ${file} is not a PEM certificate: ${(error as Error).message}`);
  }
}
