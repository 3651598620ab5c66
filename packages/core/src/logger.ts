// The `logger` option: refusals and key events in the log a Node app already has (pino and
// Fastify's logger, winston, bunyan, console, Hono's print function), so a hint reaches an
// operator without any wiring. Refusals are rate-limited per code and tenant (log-rate-limit.ts),
// so a flood of bad tokens cannot fill a disk. Nothing logged ever contains the token.
import type { EntraVerifierEvent, TokenRejectedEvent } from './events.js';
import { LogRateLimit } from './log-rate-limit.js';
import { escapeControls } from './printable.js';

/**
 * A logger object: pino, bunyan and Fastify's `app.log` (called as `warn(fields, message)`),
 * winston, console and most others (called as `warn(message, fields)`). `warn` gets refusals,
 * `info` key-set events; `error`, when present, gets failures that are not the client's (a key
 * set that cannot be fetched with no keys to fall back on, a verifier bug).
 */
export interface EntraLoggerObject {
  /** Refusals (at most one line per code and tenant a minute, then a count of the rest). */
  warn(...args: unknown[]): unknown;
  /** Key sets fetched and rotated, discovery metadata read. */
  info(...args: unknown[]): unknown;
  /** Not used today; accepted so any leveled logger fits. */
  debug?(...args: unknown[]): unknown;
  /** Server-side failures; `warn` is used when absent. */
  error?(...args: unknown[]): unknown;
}

/**
 * What the `logger` option takes: a logger object ({@link EntraLoggerObject}), or a function that
 * prints one line of text (`console.log`, Hono's `logger()` print function).
 */
export type EntraLogger = EntraLoggerObject | ((message: string) => void);

type Level = 'info' | 'warn' | 'error';
type Style = 'fields-first' | 'message-first' | 'line';
type Fields = Record<string, unknown>;

/** pino (and so Fastify's logger) and bunyan take the fields first; winston, console and the rest the message first. */
function styleOf(logger: EntraLogger): Style {
  if (typeof logger === 'function') return 'line';
  const candidate = logger as unknown as Record<string, unknown>;
  return typeof candidate.child === 'function' && (typeof candidate.bindings === 'function' || (typeof candidate.fields === 'object' && candidate.fields !== null)) ? 'fields-first' : 'message-first';
}

/** Short names for a one-line log. */
const TEXT_NAMES: Record<string, string> = { tenantId: 'tenant', clientAppId: 'client', tokenId: 'uti' };

/** `key=value` pairs for a one-line log, values escaped and quoted when they hold spaces. */
function asText(fields: Fields): string {
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    // The hint is in the message already; the event type is the message's subject.
    if (value === undefined || name === 'hint' || name === 'event') continue;
    if (name === 'claimsVerified') {
      if (value === false) pairs.push('claims=unverified');
      continue;
    }
    const key = TEXT_NAMES[name] ?? name;
    const text = typeof value === 'string' ? value : Array.isArray(value) ? value.join(',') : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
    const safe = escapeControls(text);
    pairs.push(`${key}=${/[\s"]/.test(safe) ? JSON.stringify(safe) : safe}`);
  }
  return pairs.join(' ');
}

/** The fields a refusal is logged with. */
function refusalFields(event: TokenRejectedEvent): Fields {
  return {
    event: event.type,
    code: event.code,
    status: event.status,
    tenantId: event.tenantId,
    clientAppId: event.clientAppId,
    tokenId: event.tokenId,
    authority: event.authority,
    requirement: event.requirement,
    claimsVerified: event.claimsVerified,
    hint: event.hint,
  };
}

/** The line, level and fields for one event. */
function describe(event: EntraVerifierEvent): { level: Level; message: string; fields: Fields } {
  switch (event.type) {
    case 'token_rejected': {
      // The client's fault (every 4xx) is a warning; a 5xx or a verifier bug is the server's.
      const level: Level = event.status >= 500 || event.code === 'verification_failed' ? 'error' : 'warn';
      return { level, message: `entra-verify: token refused: ${event.code} (${event.status}): ${escapeControls(event.hint)}`, fields: refusalFields(event) };
    }
    case 'key_set_fetched':
      return { level: 'info', message: `entra-verify: key set fetched (${event.reason}): ${event.url}, ${event.kids.length} key(s)`, fields: { event: event.type, url: event.url, reason: event.reason, kids: event.kids } };
    case 'key_set_rotated':
      return { level: 'info', message: `entra-verify: signing keys rotated at ${event.url}: added ${event.added.join(', ') || 'none'}; removed ${event.removed.join(', ') || 'none'}`, fields: { event: event.type, url: event.url, added: event.added, removed: event.removed } };
    case 'key_set_fetch_failed':
      return {
        level: event.servingStale ? 'warn' : 'error',
        message: `entra-verify: key set fetch failed (${event.reason}) at ${event.url}: ${escapeControls(event.message)}; ${event.servingStale ? 'still verifying with the last good keys' : 'no keys to verify with: requests are answered 503 until a fetch succeeds'}`,
        fields: { event: event.type, url: event.url, reason: event.reason, status: event.status, servingStale: event.servingStale },
      };
    case 'discovery_fetched':
      return { level: 'info', message: `entra-verify: authority metadata read from ${event.url}: issuer ${event.issuer}, keys ${event.jwksUri}`, fields: { event: event.type, url: event.url, issuer: event.issuer, jwksUri: event.jwksUri } };
  }
}

/** Whether this process runs in production (NODE_ENV), on runtimes that have `process`. */
export function isProduction(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.NODE_ENV === 'production';
}

/** The default outside production: one line of text per event on the console. */
function consoleLogger(): EntraLoggerObject {
  const line = (method: 'info' | 'warn' | 'error') => (message: unknown) => console[method](message);
  return { info: line('info'), warn: line('warn'), error: line('error') };
}

/** Check the option at start-up; undefined means silent. */
export function resolveLogger(logger: EntraLogger | false | undefined, fail: (message: string) => never): { logger: EntraLogger; style: Style } | undefined {
  if (logger === false) return undefined;
  if (logger === undefined) return isProduction() ? undefined : { logger: consoleLogger(), style: 'line' };
  if (typeof logger === 'function') return { logger, style: 'line' };
  if (typeof logger !== 'object' || logger === null || typeof logger.warn !== 'function' || typeof logger.info !== 'function') {
    return fail('logger must have warn() and info() methods (pino, winston, bunyan, console, Fastify\'s app.log), be a function that prints a line, or be false');
  }
  return { logger, style: styleOf(logger) };
}

/** A sink that writes events to the logger, refusals rate-limited by code and tenant. */
export function createLogSink(resolved: { logger: EntraLogger; style: Style }, now: () => number): (event: EntraVerifierEvent) => void {
  const { logger, style } = resolved;
  const limit = new LogRateLimit();
  const write = (level: Level, message: string, fields: Fields) => {
    if (style === 'line') {
      // A key-set event's message says it all; a refusal's adds who was refused (code and status are in the message).
      const text = fields.event === 'token_rejected' ? asText({ ...fields, code: undefined, status: undefined }) : '';
      const line = text ? `${message} ${text}` : message;
      if (typeof logger === 'function') logger(line);
      else (level === 'error' ? (logger.error ?? logger.warn) : logger[level]).call(logger, line);
      return;
    }
    const target = logger as EntraLoggerObject;
    const method = level === 'error' ? (target.error ?? target.warn) : target[level];
    const clean = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
    if (style === 'fields-first') method.call(target, clean, message);
    else method.call(target, message, clean);
  };
  return (event) => {
    try {
      const { level, message, fields } = describe(event);
      if (event.type === 'token_rejected') {
        const admitted = limit.admit(`${event.code}|${event.tenantId ?? '-'}`, now());
        if (!admitted) return;
        if (admitted.suppressed > 0) fields.suppressed = admitted.suppressed;
        if (admitted.suppressedOther > 0) fields.suppressedOther = admitted.suppressedOther;
      }
      write(level, message, fields);
    } catch {
      // A logger that throws must never break verification.
    }
  };
}
