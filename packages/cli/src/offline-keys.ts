// --jwks FILE: a fetch that answers every key-set request with the saved key set, so the doctor
// verifies with no network at all. Anything else (discovery) fails like an unreachable host.
// The file is checked when it is read: a file that is not a key set is a usage error that names
// the file and says what it holds instead (an OpenID configuration, one bare JWK, an empty set…),
// not a keys_unavailable refusal that reads like an Entra outage.
import { readFile } from 'node:fs/promises';
import { UsageError } from './doctor-options.js';

const EXAMPLE = 'a JSON Web Key Set as Entra serves it, {"keys": [{"kty": "RSA", "kid": …}]}, saved from https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why `text` (the contents of `file`) is not a usable key set, or undefined when it is one. */
export function keySetProblem(file: string, text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return `--jwks ${file} is not JSON (${(error as Error).message}); it should hold ${EXAMPLE}`;
  }
  if (!isObject(parsed)) return `--jwks ${file} holds ${Array.isArray(parsed) ? 'a JSON array' : `a JSON ${parsed === null ? 'null' : typeof parsed}`}, not a key set; it should hold ${EXAMPLE}`;
  if (typeof parsed.jwks_uri === 'string') {
    return `--jwks ${file} is an OpenID configuration document, not a key set: save the document at its jwks_uri (${parsed.jwks_uri.slice(0, 200)}) and pass that file`;
  }
  if (typeof parsed.kty === 'string') return `--jwks ${file} holds one key (a JWK), not a key set: wrap it as {"keys": [ <the key> ]}`;
  if (!('keys' in parsed)) return `--jwks ${file} is not a key set: it has no "keys" member; it should hold ${EXAMPLE}`;
  const keys = parsed.keys;
  if (!Array.isArray(keys)) return `--jwks ${file} is not a key set: "keys" is not an array`;
  if (keys.length === 0) return `--jwks ${file} holds an empty key set ("keys": []): no token can verify against it`;
  const bad = keys.findIndex((key) => !isObject(key) || typeof key.kty !== 'string');
  if (bad !== -1) return `--jwks ${file}: keys[${bad}] is not a JSON Web Key (a JSON object with a "kty")`;
  return undefined;
}

/** A fetch that serves the key set in `file` for every key-set URL; throws UsageError when the file is not one. */
export async function offlineKeyFetch(file: string): Promise<typeof fetch> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --jwks ${file}: ${(error as Error).message}`);
  }
  const problem = keySetProblem(file, text);
  if (problem) throw new UsageError(problem);
  return async (input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!url.pathname.endsWith('/keys')) throw new TypeError(`offline (--jwks): no network for ${url.origin}${url.pathname}`);
    return new Response(text, { status: 200, headers: { 'content-type': 'application/json' } });
  };
}
