// `entra-verify doctor`: decode a token without trusting it, then (with --tenant …) run the real
// verifier's diagnose() and explain every rule that fails. The token is never sent anywhere and
// never printed: only key sets are fetched (or read from --jwks).
import { createEntraVerifier } from '@entra-verify/core';
import { cleanTokenInput, decodeUntrusted } from './decode-untrusted.js';
import { describeClaims } from './describe-claims.js';
import { DOCTOR_USAGE, parseDoctorArgs } from './doctor-options.js';
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
  const decoded = decodeUntrusted(token);
  const rows = decoded ? describeClaims(decoded.header, decoded.claims, io.now() / 1000) : undefined;
  const verifier = request.verifier
    ? createEntraVerifier({ ...request.verifier, ...(request.jwksFile ? { fetch: await offlineKeyFetch(request.jwksFile) } : {}) })
    : undefined;
  const diagnosis = verifier ? await verifier.diagnose(token, request.requirement) : undefined;
  verifier?.close();

  if (request.json) {
    io.stdout(
      JSON.stringify(
        {
          decoded: decoded ? { header: decoded.header, claims: decoded.claims, summary: rows } : null,
          verification: diagnosis
            ? {
                accepted: diagnosis.accepted,
                checks: diagnosis.checks.map((c) => ({ rule: c.rule, outcome: c.outcome, ...(c.error ? { code: c.error.code, description: c.error.description, hint: c.error.hint } : {}) })),
              }
            : null,
        },
        null,
        2,
      ),
    );
  } else {
    const paint = io.colour ? colours : plain;
    const lines = rows ? renderSummary(rows, paint) : [paint.red('This is not a decodable JWT (three base64url parts with JSON header and claims).')];
    if (diagnosis) {
      const target = `tenant ${request.verifier!.tenant}, audience ${[...(request.verifier!.audience ? [request.verifier!.audience].flat() : []), ...(request.verifier!.clientId ? [request.verifier!.clientId] : [])].join(', ')}`;
      lines.push(...renderDiagnosis(diagnosis, target, paint));
    } else if (decoded) {
      lines.push('', paint.dim('Nothing was verified. Add --tenant and --audience (or --client-id) to check it as your API would.'));
    }
    io.stdout(lines.join('\n'));
  }
  if (diagnosis) return diagnosis.accepted ? 0 : 1;
  return decoded ? 0 : 1;
}
