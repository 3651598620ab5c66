// `entra-verify doctor`: decode a token without trusting it, then (with --tenant …) run the real
// verifier's diagnose() and explain every rule that fails. The token is never sent anywhere and
// never printed: only key sets are fetched (or read from --jwks).
import { createEntraVerifier, escapeControls, type AuthorityOptions, type Diagnosis, type KeySetFetchedEvent } from '@entra-verify/core';
import { readFile } from 'node:fs/promises';
import { boundedCopy } from './bounded-json.js';
import { cleanTokenInput, decodeEncryptedHeader, decodeUntrusted } from './decode-untrusted.js';
import { decryptForDisplay } from './decrypt-for-display.js';
import { readClientCertificate, readDecryptionKey } from './key-files.js';
import { describeClaims, describeEncrypted } from './describe-claims.js';
import { DOCTOR_USAGE, parseDoctorArgs, UsageError } from './doctor-options.js';
import { offlineKeyFetch } from './offline-keys.js';
import { colours, plain, renderDiagnosis, renderSummary } from './render.js';

/** The command's terminal, injectable so tests (and other programs) can run it in-process. */
export interface CliIo {
  /** Writes a line of the report. */
  stdout(text: string): void;
  /** Writes a line of usage or error text. */
  stderr(text: string): void;
  /** The token from stdin, or undefined when stdin is a terminal. */
  readStdin(): Promise<string | undefined>;
  /** Whether to colour the report (a terminal without NO_COLOR). */
  colour: boolean;
  /** The clock, in epoch ms (the token's lifetime is judged against it). */
  now(): number;
}

/** `entra-verify doctor …`: returns the exit code (0 accepted, 1 refused, 2 usage or input error). */
export async function runDoctor(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(DOCTOR_USAGE);
    return 0;
  }
  const request = parseDoctorArgs(argv);
  const input = request.token ?? (await io.readStdin());
  if (!input?.trim()) {
    io.stderr(`entra-verify doctor: no token given (as an argument or on stdin)\n${DOCTOR_USAGE}`);
    return 2;
  }
  const token = cleanTokenInput(input);
  const decryptionKey = request.decryptionKeyFile ? await readDecryptionKey(request.decryptionKeyFile) : undefined;
  const clientCertificate = request.clientCertFile ? await readClientCertificate(request.clientCertFile) : undefined;
  const encryptedHeader = decodeEncryptedHeader(token);
  const inner = encryptedHeader && decryptionKey ? await decryptForDisplay(token, decryptionKey) : undefined;
  const decoded = decodeUntrusted(inner ?? token);
  const rows = decoded ? describeClaims(decoded.header, decoded.claims, io.now() / 1000) : encryptedHeader ? describeEncrypted(encryptedHeader) : undefined;
  if (inner && rows) rows.unshift({ label: 'format', value: 'encrypted token (JWE), decrypted with --decryption-key; the rows below are the signed token inside' });
  const keyFetches: KeySetFetchedEvent[] = [];
  const authorities = request.authoritiesFile ? await readAuthorities(request.authoritiesFile) : undefined;
  const target = authorities ?? request.verifier;
  const verifier = target
    ? createEntraVerifier({
        ...target,
        ...(authorities ? { resultCache: false } : {}),
        // The report is the doctor's output; the verifier's own log lines would only repeat it.
        logger: false,
        onEvent: (event) => {
          if (event.type === 'key_set_fetched') keyFetches.push(event);
        },
        ...(request.jwksFile ? { fetch: await offlineKeyFetch(request.jwksFile) } : {}),
        ...(decryptionKey ? { decryptionKeys: [decryptionKey] } : {}),
      })
    : undefined;
  const diagnosis = verifier ? await verifier.diagnose(token, request.requirement, clientCertificate ? { clientCertificate } : undefined) : undefined;
  verifier?.close();
  const keySource = diagnosis ? keySourceOf(request.jwksFile, keyFetches) : undefined;

  if (request.json) {
    // JSON.stringify escapes C0 controls; escapeControls also turns C1 and bidi characters into
    // \uXXXX, which is the same escape in JSON, so the output stays valid and terminal-safe.
    io.stdout(escapeControls(
      JSON.stringify(
        {
          decoded: decoded ? { header: boundedCopy(decoded.header), claims: boundedCopy(decoded.claims), summary: rows } : null,
          verification: diagnosis
            ? {
                accepted: diagnosis.accepted,
                ...(diagnosis.authority ? { authority: diagnosis.authority } : {}),
                keys: keySource!.json,
                checks: diagnosis.checks.map((c) => ({ rule: c.rule, outcome: c.outcome, ...(c.error ? { code: c.error.code, description: c.error.description, hint: c.error.hint } : {}) })),
              }
            : null,
        },
        null,
        2,
      ),
      true,
    ));
  } else {
    const paint = io.colour ? colours : plain;
    const lines = rows ? renderSummary(rows, paint) : [paint.red('This is not a decodable JWT (three base64url parts with JSON header and claims, or five for an encrypted token).')];
    if (diagnosis) {
      const described = authorities
        ? `authorities ${authorities.authorities.map((a) => a.name).join(', ')}${diagnosis.authority ? `; the issuer chose "${diagnosis.authority}"` : ''}`
        : `tenant ${request.verifier!.tenant}, audience ${[...(request.verifier!.audience ? [request.verifier!.audience].flat() : []), ...(request.verifier!.clientId ? [request.verifier!.clientId] : [])].join(', ')}`;
      lines.push(...renderDiagnosis(diagnosis, escapeControls(described), keySource!.text, paint));
      const flap = flapNote(diagnosis, keyFetches, decoded?.header.kid);
      if (flap) lines.push('', paint.yellow(escapeControls(flap)));
    } else if (decoded) {
      lines.push('', paint.dim('Nothing was verified. Add --tenant and --audience (or --client-id) to check it as your API would.'));
    }
    io.stdout(lines.join('\n'));
  }
  if (diagnosis) return diagnosis.accepted ? 0 : 1;
  return decoded ? 0 : 1;
}

/** The --authorities file: `{ "authorities": [...] }` or the array itself; core checks every entry. */
async function readAuthorities(file: string): Promise<{ authorities: AuthorityOptions[] }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--authorities ${file}: ${(error as Error).message}`);
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { authorities?: unknown } | null)?.authorities;
  if (!Array.isArray(list)) throw new UsageError(`--authorities ${file} must hold { "authorities": [{ "name", "tenant", "clientId", … }] }`);
  return { authorities: list as AuthorityOptions[] };
}

/** Where the keys came from: the network (online, which URLs) or the --jwks file (offline). */
function keySourceOf(jwksFile: string | undefined, fetches: readonly KeySetFetchedEvent[]): { text: string; json: { mode: 'online' | 'offline'; file?: string; fetched: string[] } } {
  const fetched = [...new Set(fetches.map((event) => event.url))];
  if (jwksFile) return { text: `offline: keys from --jwks ${jwksFile} (no network)`, json: { mode: 'offline', file: jwksFile, fetched: [] } };
  const from = fetched.length ? `fetched ${fetched.join(', ')}` : 'no key set was needed before the first failed rule';
  return { text: `online: ${from} (only Entra's public keys; the token is never sent). Use --jwks <file> to verify offline.`, json: { mode: 'online', fetched } };
}

/**
 * The key was missing from the first key-set response and present in the refetch that its unknown
 * kid caused: Entra's front ends serving different sets (a flap), not a forged or retired key.
 */
function flapNote(diagnosis: Diagnosis, fetches: readonly KeySetFetchedEvent[], kid: unknown): string | undefined {
  if (typeof kid !== 'string' || diagnosis.checks.find((check) => check.rule === 'signing key')?.outcome !== 'passed') return undefined;
  const [first, refetch] = fetches;
  if (!first || refetch?.reason !== 'unknown_kid' || first.kids.includes(kid) || !refetch.kids.includes(kid)) return undefined;
  return `Note: key ${kid} was missing from the first response of ${first.url} and present when it was fetched again. Entra's front ends sometimes serve a key set that briefly lacks a key in use; an API verifier keeps a key it knows until two fetches a cooldown apart both lack it, and refetches once for a kid it has not seen.`;
}
