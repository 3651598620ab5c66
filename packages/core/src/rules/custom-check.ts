// The application's own rule, after every rule of ours: `check(auth, request?)` on the verifier,
// an authority or a route requirement. It refuses by throwing `refuse(code, description, hint)`;
// whatever else it throws (or rejects with) is still a refusal, `verification_failed`, never a 500.
import { asRefusal, authError, ERROR_TRAITS, EntraAuthError, type EntraAuthErrorCode } from '../errors.js';
import type { VerifiedAccessToken } from '../token/verified-token.js';

/**
 * An application-defined rule. `request` is the framework's request object when an adapter runs
 * the check (Express `req`, Koa `ctx`, Hono `c`, Fastify `request`), undefined in `verify()`.
 */
export type AuthCheck = (auth: VerifiedAccessToken, request?: unknown) => void | Promise<void>;

const isSnakeCase = (code: string): boolean => {
  if (code.length === 0 || code.length > 64) return false;
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    const lower = c >= 0x61 && c <= 0x7a;
    if (!(lower || (i > 0 && ((c >= 0x30 && c <= 0x39) || c === 0x5f)))) return false;
  }
  return true;
};

/**
 * The refusal a check throws: `throw refuse('subscription_inactive', 'The subscription is not active.', 'tenant … has no plan')`.
 * A code of this library (`tenant_not_allowed`, `insufficient_scope`, …) keeps its own status; any
 * other snake_case code becomes `check_refused` (403 `insufficient_scope`) with the code in `reason`.
 * `description` is sent to the client; `hint` only reaches logs and events.
 */
export function refuse(code: string, description: string, hint = `A check refused the request (${code}).`): EntraAuthError {
  if (typeof code !== 'string' || !isSnakeCase(code)) throw new TypeError(`entra-verify: refuse() needs a snake_case code such as "subscription_inactive", got ${JSON.stringify(String(code)).slice(0, 80)}`);
  if (typeof description !== 'string' || description === '') throw new TypeError('entra-verify: refuse() needs a description the client may see');
  const own = Object.hasOwn(ERROR_TRAITS, code);
  return authError(own ? (code as EntraAuthErrorCode) : 'check_refused', description, hint, { reason: code });
}

/** Run a check; a throw or rejection that is not a refusal becomes one. Synchronous unless the check returns a promise. */
export function runCheck(check: AuthCheck, auth: VerifiedAccessToken, request: unknown): void | Promise<void> {
  const refusal = (error: unknown): never => {
    if (error instanceof EntraAuthError) throw error;
    const wrapped = asRefusal(error);
    throw authError('verification_failed', wrapped.description, `A check threw instead of refusing with refuse(code, description, hint): ${wrapped.hint}`, { cause: error });
  };
  let outcome: void | Promise<void>;
  try {
    outcome = check(auth, request);
  } catch (error) {
    return refusal(error);
  }
  if (outcome !== undefined && typeof (outcome as { then?: unknown }).then === 'function') return Promise.resolve(outcome).then(() => undefined, refusal);
}
