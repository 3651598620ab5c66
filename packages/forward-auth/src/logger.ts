// JSON logs, one object per line. Fields carry refusal codes, hints, routes and paths, never a
// token or a header value: hints are core's (escaped, token-free) and request text goes through
// escapeControls, so a forged path cannot write a fake log line.
import { escapeControls } from '@entra-verify/core';

/** Log levels, least to most severe. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** A structured logger; fields are JSON-serializable. */
export interface ForwardAuthLogger {
  /** Write `message` with `fields` at `level`, if the level is enabled. */
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** A logger writing JSON lines to `write` (default: stdout) at `level` and above. */
export function createJsonLogger(level: LogLevel = 'info', write: (line: string) => void = (line) => process.stdout.write(line)): ForwardAuthLogger {
  return {
    log(at: LogLevel, message: string, fields: Record<string, unknown> = {}) {
      if (RANK[at] < RANK[level]) return;
      write(`${JSON.stringify({ time: new Date().toISOString(), level: at, msg: message, ...fields })}\n`);
    },
  };
}

/** Request text for a log field: cut to `max` characters and control characters escaped. */
export function loggable(text: string, max = 256): string {
  return escapeControls(text.length > max ? `${text.slice(0, max)}…` : text);
}
