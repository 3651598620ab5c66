// Issue #18, items 1 and 2: refusals reach a log by default (a console logger outside
// production), through any logger Node users already have (pino-style obj-first, winston- and
// console-style message-first, or a print function), rate-limited per code and tenant with a
// bounded memory; events say who was refused (tenant, client app, uti, authority, requirement),
// never the token.
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEntraVerifier, type EntraLogger, type EntraVerifierEvent, type EntraVerifierOptions, type TokenRejectedEvent } from '../src/index.js';

let entra: FakeEntra;
beforeAll(async () => {
  entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read', 'Data.Write'], appRoles: ['Admin'] }] });
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

interface Line {
  level: string;
  args: unknown[];
}
/** A pino-shaped logger (child + bindings: object first, message second) that records its calls. */
function pinoLike() {
  const lines: Line[] = [];
  const method = (level: string) => (...args: unknown[]) => void lines.push({ level, args });
  const logger = { warn: method('warn'), info: method('info'), debug: method('debug'), error: method('error'), child: () => logger, bindings: () => ({}), level: 'info' };
  return { logger, lines };
}
/** A winston-shaped logger (no bindings: message first, fields second). */
function winstonLike() {
  const lines: Line[] = [];
  const method = (level: string) => (...args: unknown[]) => void lines.push({ level, args });
  return { logger: { warn: method('warn'), info: method('info'), debug: method('debug'), error: method('error'), log: method('log') }, lines };
}

const base = (extra: Partial<EntraVerifierOptions> = {}): EntraVerifierOptions => ({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, ...extra });
const expired = () => entra.mint({ issuedAt: Math.floor(Date.now() / 1000) - 7200, expiresIn: 60 });

describe('logger: refusals reach the log', () => {
  it('a pino-style logger gets warn(fields, message) with code, hint and attribution, never the token', async () => {
    const { logger, lines } = pinoLike();
    const verifier = createEntraVerifier(base({ logger }));
    const token = await expired();
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'token_expired' });
    const warns = lines.filter((line) => line.level === 'warn');
    expect(warns).toHaveLength(1);
    const [fields, message] = warns[0]!.args as [Record<string, unknown>, string];
    expect(typeof message).toBe('string');
    expect(message).toContain('token_expired');
    expect(fields).toMatchObject({ code: 'token_expired', status: 401, tenantId: entra.tenantId, clientAppId: entra.clientApp.clientId, hint: expect.stringMatching(/expired/) });
    expect(fields.tokenId).toEqual(expect.any(String));
    expect(JSON.stringify(lines)).not.toContain(token.split('.')[1]!);
    expect(JSON.stringify(lines)).not.toContain(token.split('.')[2]!);
  });

  it('a winston- or console-style logger gets warn(message, fields)', async () => {
    const { logger, lines } = winstonLike();
    await expect(createEntraVerifier(base({ logger })).verify(await expired())).rejects.toBeTruthy();
    const [message, fields] = lines.find((line) => line.level === 'warn')!.args as [string, Record<string, unknown>];
    expect(message).toContain('token_expired');
    expect(fields).toMatchObject({ code: 'token_expired', tenantId: entra.tenantId });
  });

  it('a print function (Hono\'s logger, console.log) gets one line of text', async () => {
    const printed: string[] = [];
    await expect(createEntraVerifier(base({ logger: (line: string) => void printed.push(line) })).verify(await expired())).rejects.toBeTruthy();
    const line = printed.find((text) => text.includes('token_expired'))!;
    expect(line).toContain(`tenant=${entra.tenantId}`);
    expect(line).toMatch(/expired/);
    expect(line).not.toMatch(/[\n\r]/);
  });

  it('key events go to info: the key set fetched', async () => {
    const { logger, lines } = pinoLike();
    await createEntraVerifier(base({ logger })).verify(await entra.mint());
    const info = lines.filter((line) => line.level === 'info');
    expect(info.some((line) => JSON.stringify(line.args).includes('key_set_fetched'))).toBe(true);
    expect(lines.some((line) => line.level === 'warn' || line.level === 'error')).toBe(false);
  });

  it('refusals that are the client\'s fault are never logged at error level', async () => {
    const { logger, lines } = pinoLike();
    const verifier = createEntraVerifier(base({ logger }));
    for (const attack of await entra.attackTokens()) await verifier.verify(attack.token).catch(() => {});
    await verifier.verify(await entra.mint({ scopes: ['Data.Write'] }), { scopes: ['Data.Read'] }).catch(() => {});
    expect(lines.filter((line) => line.level === 'error')).toEqual([]);
    expect(lines.filter((line) => line.level === 'warn').length).toBeGreaterThan(0);
  });

  it('is rate-limited per code and tenant: a flood logs one line, then a count of the rest', async () => {
    const { logger, lines } = pinoLike();
    let clock = Date.now();
    const verifier = createEntraVerifier(base({ logger, now: () => clock, resultCache: false }));
    const token = await entra.mint({ issuedAt: Math.floor(clock / 1000) - 7200, expiresIn: 60 });
    for (let i = 0; i < 500; i++) await verifier.verify(token).catch(() => {});
    expect(lines.filter((line) => line.level === 'warn')).toHaveLength(1);
    clock += 61_000;
    await verifier.verify(token).catch(() => {});
    const warns = lines.filter((line) => line.level === 'warn');
    expect(warns).toHaveLength(2);
    expect(warns[1]!.args[0]).toMatchObject({ code: 'token_expired', suppressed: 499 });
  });

  it('a flood of made-up tenants cannot fill a disk: lines per minute are capped', async () => {
    const { logger, lines } = pinoLike();
    const verifier = createEntraVerifier(base({ logger, resultCache: false }));
    // Unsigned tokens claiming a different tid each: refused before the signature, tenant untrusted.
    const forged = (tid: string) => `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(JSON.stringify({ tid, aud: entra.api.appId })).toString('base64url')}.`;
    for (let i = 0; i < 5000; i++) await verifier.verify(forged(crypto.randomUUID())).catch(() => {});
    expect(lines.filter((line) => line.level === 'warn').length).toBeLessThanOrEqual(100);
  });

  it('logger: false is silent; the default is a console logger outside production and silent in production', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.spyOn(console, 'info').mockImplementation(() => {});
    vi.spyOn(console, 'log').mockImplementation(() => {});
    await createEntraVerifier(base({ logger: false })).verify(await expired()).catch(() => {});
    expect(warn).not.toHaveBeenCalled();

    vi.stubEnv('NODE_ENV', 'development');
    await createEntraVerifier(base()).verify(await expired()).catch(() => {});
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain('token_expired');

    warn.mockClear();
    vi.stubEnv('NODE_ENV', 'production');
    await createEntraVerifier(base()).verify(await expired()).catch(() => {});
    expect(warn).not.toHaveBeenCalled();
  });

  it('a logger that throws never breaks verification', async () => {
    const boom = () => {
      throw new Error('disk full');
    };
    const logger: EntraLogger = { warn: boom, info: boom, debug: boom };
    const verifier = createEntraVerifier(base({ logger }));
    await expect(verifier.verify(await entra.mint())).resolves.toMatchObject({ tenantId: entra.tenantId });
    await expect(verifier.verify(await expired())).rejects.toMatchObject({ code: 'token_expired' });
  });

  it('a logger without warn/info is refused at start-up with the fix', () => {
    expect(() => createEntraVerifier(base({ logger: { debug: () => {} } as unknown as EntraLogger }))).toThrow(/logger must have warn\(\) and info\(\) methods/);
  });
});

describe('token_rejected events (item 2)', () => {
  async function rejected(options: Partial<EntraVerifierOptions>, token: string, requirement?: Parameters<ReturnType<typeof createEntraVerifier>['verify']>[1]) {
    const events: EntraVerifierEvent[] = [];
    const verifier = createEntraVerifier(base({ logger: false, onEvent: (event) => void events.push(event), ...options }));
    await verifier.verify(token, requirement).catch(() => {});
    return events.filter((event): event is TokenRejectedEvent => event.type === 'token_rejected');
  }

  it('a 403 (insufficient_scope) emits token_rejected with the route requirement', async () => {
    const [event] = await rejected({}, await entra.mint({ scopes: ['Data.Write'] }), { scopes: ['Data.Read'] });
    expect(event).toMatchObject({ code: 'insufficient_scope', status: 403, requirement: { scopes: ['Data.Read'] }, tenantId: entra.tenantId, clientAppId: entra.clientApp.clientId, claimsVerified: true });
  });

  it('carries the tenant, client app, token id and authority; never the token', async () => {
    const token = await expired();
    const [event] = await rejected({}, token);
    const uti = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).uti as string;
    expect(event).toMatchObject({ code: 'token_expired', tenantId: entra.tenantId, clientAppId: entra.clientApp.clientId, tokenId: uti, claimsVerified: true, authority: expect.stringContaining(entra.tenantId) });
    expect(JSON.stringify(event)).not.toContain(token.split('.')[1]!);
  });

  it('v1 tokens name the client app by appid', async () => {
    const [event] = await rejected({}, await entra.mint({ version: 1, issuedAt: Math.floor(Date.now() / 1000) - 7200, expiresIn: 60 }));
    expect(event).toMatchObject({ code: 'token_expired', clientAppId: entra.clientApp.clientId });
  });

  it('attribution from a token whose signature did not verify is marked unverified and escaped', async () => {
    const token = await entra.mint({ claims: { tid: 'evil\u001b[2J\ntenant', azp: 'x'.repeat(5000) } });
    const tampered = `${token.split('.')[0]}.${Buffer.from(JSON.stringify({ tid: 'evil\u001b[2J\ntenant', azp: 'x'.repeat(5000), aud: entra.api.appId })).toString('base64url')}.${token.split('.')[2]}`;
    const [event] = await rejected({}, tampered);
    expect(event!.claimsVerified).toBe(false);
    expect(event!.tenantId ?? '').not.toMatch(/[\u0000-\u001f]/);
    expect((event!.clientAppId ?? '').length).toBeLessThanOrEqual(200);
  });
});
