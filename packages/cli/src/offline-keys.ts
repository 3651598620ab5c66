// --jwks FILE: a fetch that answers every key-set request with the saved key set, so the doctor
// verifies with no network at all. Anything else (discovery) fails like an unreachable host.
import { readFile } from 'node:fs/promises';
import { UsageError } from './doctor-options.js';

export async function offlineKeyFetch(file: string): Promise<typeof fetch> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --jwks ${file}: ${(error as Error).message}`);
  }
  return async (input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!url.pathname.endsWith('/keys')) throw new TypeError(`offline (--jwks): no network for ${url.origin}${url.pathname}`);
    return new Response(text, { status: 200, headers: { 'content-type': 'application/json' } });
  };
}
