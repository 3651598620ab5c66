// Signing keys per key-set URL, in an LRU. The rules (DESIGN.md §3): one fetch for any number of
// concurrent cold requests; a lazy background refresh every ~12 h (requests never wait for it);
// at most one refetch per cooldown for unknown kids, however many arrive; the last good keys keep
// serving through failures (stale-if-error); a key dropped from the set stops verifying once two
// fetches at least a cooldown apart see it gone (Microsoft's front ends disagree for a while, so one
// response without a key proves nothing); a revoked kid is refused at once and stays refused.
// No timers: nothing keeps a process or a Worker alive.
import { LRUCache } from 'lru-cache';
import type { SignatureBackend } from './crypto/signature-backend.js';
import { authError, type EntraAuthError } from '../errors.js';
import type { EventSink, KeySetFetchReason } from '../events.js';
import type { FetchLike, JwksOptions } from '../options.js';
import { shown } from '../printable.js';
import { fetchJson, FetchJsonError } from './fetch-json.js';
import { foreignCloudInstanceName, parseKeySet, type PublishedKey } from './parse-key-set.js';

/** A published key as the cache holds it; its identity changes only when its material does. */
export interface CachedKey extends PublishedKey {
  /** Imported key per algorithm, imported on first use and kept. */
  readonly imported: Map<string, Promise<unknown>>;
  /** The same keys once imported, so the warm path needs no await. */
  readonly ready: Map<string, unknown>;
}

interface KeySetState {
  url: string;
  keys: Map<string, CachedKey> | undefined;
  refreshDueAt: number;
  /** Last good keys may serve until then; afterwards they count as gone. */
  staleUntil: number;
  lastUnknownKidFetchAt: number;
  coldRetryAt: number;
  inflight: Promise<void> | undefined;
  failure: KeySetFailure | undefined;
  /** Served kids the latest fetch lacked, with the time of the first fetch that lacked each. */
  absentSince: Map<string, number>;
}

/** What went wrong with a key set's latest fetch. */
export interface KeySetFailure {
  /** What the key endpoint did, as a sentence fragment ("answered HTTP 503"). */
  message: string;
  /** The HTTP status, when there was an answer. */
  status: number | undefined;
  /** The key set belongs to another cloud (its `cloud_instance_name` differs). */
  foreignCloud?: boolean;
}

/** What a {@link KeySetCache} needs: options, transport, clock, event sink, crypto. */
export interface KeySetCacheOptions {
  jwks: Required<JwksOptions>;
  fetch: FetchLike;
  now: () => number;
  emit: EventSink;
  backend: SignatureBackend;
  /**
   * The `cloud_instance_name` key sets must carry where they carry one (`microsoftonline.com`
   * for the public cloud); a key set naming another is refused like a failed fetch, so the last
   * good keys keep serving. Undefined: not checked (custom authority hosts, discovery mode).
   */
  expectedCloudInstanceName?: string;
}

/** How long a cold (never loaded) key set waits before another fetch after a failure. */
const COLD_RETRY_MS = 10_000;
/** Revoked kids remembered; the oldest revocation is forgotten first beyond this. */
export const MAX_REVOKED_KIDS = 256;

/** A fetch whose key set is not usable by this verifier (another cloud's). */
class ForeignKeySetError extends FetchJsonError {}

/** Signing keys per key-set URL, fetched and refreshed by the rules at the top of this file. */
export class KeySetCache {
  private readonly states: LRUCache<string, KeySetState>;
  private readonly closed = new AbortController();
  /** Kids refused whatever a key set publishes, oldest first (a Set keeps insertion order). */
  private readonly revoked = new Set<string>();
  /** Per key-set URL, the `cloud_instance_name` it must carry (several authorities, several clouds). */
  private readonly expectedClouds = new Map<string, string>();

  constructor(private readonly options: KeySetCacheOptions) {
    this.states = new LRUCache({ max: options.jwks.maxEntries });
  }

  /** The key for `kid`, fetching or refetching the set as the rules allow. */
  async getKey(url: string, kid: string): Promise<CachedKey | undefined> {
    if (this.revoked.has(kid)) throw this.revokedKey(url, kid);
    const state = this.stateFor(url);
    const now = this.options.now();
    if (!state.keys || now >= state.staleUntil) {
      await this.load(state, 'cold');
      if (!state.keys) throw this.unavailable(state);
    } else if (now >= state.refreshDueAt) {
      void this.load(state, 'refresh');
    }
    const known = state.keys.get(kid);
    if (known) return known;
    if (state.inflight) {
      await state.inflight;
      const arrived = state.keys?.get(kid);
      if (arrived) return arrived;
    }
    if (now - state.lastUnknownKidFetchAt >= this.options.jwks.unknownKidCooldownMs) {
      state.lastUnknownKidFetchAt = now;
      await this.load(state, 'unknown_kid');
      return state.keys?.get(kid);
    }
    return undefined;
  }

  /**
   * The key when it can be used right now without any fetch (loaded, not due for a refresh):
   * the synchronous fast path. Anything else goes through getKey().
   */
  peekKey(url: string, kid: string): CachedKey | undefined {
    const state = this.states.get(url);
    return state?.keys && this.options.now() < state.refreshDueAt ? state.keys.get(kid) : undefined;
  }

  /**
   * True when getKey() would find no key `kid` without fetching anything: the set is loaded and
   * fresh, no fetch is in flight, and the unknown-kid cooldown has not run out. A flood of made-up
   * kids is then refused synchronously, without a promise per token.
   */
  isKnownAbsent(url: string, kid: string): boolean {
    const state = this.states.get(url);
    if (!state?.keys || state.inflight || state.keys.has(kid) || this.revoked.has(kid)) return false;
    const now = this.options.now();
    return now < state.refreshDueAt && now - state.lastUnknownKidFetchAt < this.options.jwks.unknownKidCooldownMs;
  }

  /** The key as cached now, without fetching: for the result cache's "is my key still there?". */
  currentKey(url: string, kid: string): CachedKey | undefined {
    const state = this.states.get(url);
    return state && this.options.now() < state.staleUntil ? state.keys?.get(kid) : undefined;
  }

  /**
   * The key imported for `alg`, once per key and algorithm. A key whose JWK names an `alg` is
   * used with that algorithm only (RFC 7517 §4.4): for any other the promise rejects, and the
   * key never reaches `ready` for it, so the warm path cannot use it either.
   */
  importKey(key: CachedKey, alg: string): Promise<unknown> {
    let imported = key.imported.get(alg);
    if (!imported) {
      if (key.alg !== undefined && key.alg !== alg) {
        imported = Promise.reject(
          authError(
            'invalid_signature',
            'The token signature is invalid.',
            `Key ${shown(key.kid)} is published for ${shown(key.alg)} only (its JWK "alg", RFC 7517 §4.4), but the token says ${shown(alg)}: ` +
              'a key is never used with another algorithm than the one it is published for, so the token is forged or signed by a misconfigured issuer.',
          ),
        );
        imported.catch(() => {});
      } else {
        imported = this.options.backend.importKey({ kty: 'RSA', n: key.n, e: key.e }, alg);
        imported.then((value) => key.ready.set(alg, value), () => {});
      }
      key.imported.set(alg, imported);
    }
    return imported;
  }

  /**
   * Refuse `kid` from now on: drop it from every cached key set at once, and keep it out of every
   * later fetch even while the key endpoint still publishes it. The last {@link MAX_REVOKED_KIDS}
   * revocations are remembered. Returns the URLs of the cached key sets that held it.
   */
  revoke(kid: string): string[] {
    this.revoked.delete(kid);
    this.revoked.add(kid);
    if (this.revoked.size > MAX_REVOKED_KIDS) this.revoked.delete(this.revoked.values().next().value!);
    const urls: string[] = [];
    this.states.forEach((state) => {
      state.absentSince.delete(kid);
      if (state.keys?.delete(kid)) urls.push(state.url);
    });
    return urls;
  }

  /**
   * Key sets at `url` must name cloud instance `name` where they name one: for a cache that serves
   * authorities of several clouds (the constructor's `expectedCloudInstanceName` covers one).
   */
  expectCloudInstance(url: string, name: string): void {
    this.expectedClouds.set(url, name);
  }

  /** Load a key set now (start-up warm-up); rejects with keys_unavailable if it cannot. */
  async warm(url: string): Promise<void> {
    const state = this.stateFor(url);
    if (state.keys && this.options.now() < state.staleUntil) return;
    state.coldRetryAt = 0;
    await this.load(state, 'cold');
    if (!state.keys) throw this.unavailable(state);
  }

  /** What went wrong with a key set most recently, for hints. */
  failureOf(url: string): KeySetFailure | undefined {
    return this.states.get(url)?.failure;
  }

  close(): void {
    this.closed.abort(new Error('verifier closed'));
    this.states.clear();
  }

  private stateFor(url: string): KeySetState {
    let state = this.states.get(url);
    if (!state) {
      state = { url, keys: undefined, refreshDueAt: 0, staleUntil: 0, lastUnknownKidFetchAt: Number.NEGATIVE_INFINITY, coldRetryAt: 0, inflight: undefined, failure: undefined, absentSince: new Map() };
      this.states.set(url, state);
    }
    return state;
  }

  private load(state: KeySetState, reason: KeySetFetchReason): Promise<void> {
    if (state.inflight) return state.inflight;
    if (reason === 'cold' && !state.keys && this.options.now() < state.coldRetryAt) return Promise.resolve();
    state.inflight = this.fetchAndStore(state, reason).finally(() => {
      state.inflight = undefined;
    });
    return state.inflight;
  }

  private async fetchAndStore(state: KeySetState, reason: KeySetFetchReason): Promise<void> {
    const { jwks, emit } = this.options;
    const expectedCloudInstanceName = this.expectedClouds.get(state.url) ?? this.options.expectedCloudInstanceName;
    try {
      const document = await fetchJson(state.url, { fetch: this.options.fetch, timeoutMs: jwks.timeoutMs, maxBytes: jwks.maxResponseBytes, signal: this.closed.signal });
      const foreign = expectedCloudInstanceName === undefined ? undefined : foreignCloudInstanceName(document, expectedCloudInstanceName);
      if (foreign) throw new ForeignKeySetError(`answered with a key set for cloud instance ${foreign}, not ${JSON.stringify(expectedCloudInstanceName)}`, 200);
      const published = parseKeySet(document);
      if (!published) throw new FetchJsonError('answered with JSON that is not a key set (no "keys" array)', 200);
      // An empty set is far likelier a fault than Entra retiring every key: keep the good ones.
      if (published.size === 0) throw new FetchJsonError('answered with a key set without usable RSA signing keys', 200);
      this.store(state, published, reason);
    } catch (error) {
      const failure = error instanceof FetchJsonError ? error : new FetchJsonError(String(error));
      const now = this.options.now();
      state.failure = { message: failure.message, status: failure.status, ...(failure instanceof ForeignKeySetError ? { foreignCloud: true } : {}) };
      state.coldRetryAt = now + Math.min(COLD_RETRY_MS, jwks.unknownKidCooldownMs);
      if (state.keys) state.refreshDueAt = now + Math.min(jwks.unknownKidCooldownMs, jwks.refreshIntervalMs);
      if (state.keys && now >= state.staleUntil) {
        state.keys = undefined;
        state.absentSince.clear();
      }
      emit({ type: 'key_set_fetch_failed', url: state.url, reason, message: failure.message, ...(failure.status ? { status: failure.status } : {}), servingStale: state.keys !== undefined });
    }
  }

  /**
   * Serve a freshly fetched key set. Unchanged keys keep their identity (and their imports, and the
   * results cached under them); a key whose material changed under the same kid is replaced at
   * once. A served key the set lacks is kept until a fetch at least a cooldown after the first
   * that lacked it still lacks it; the next refresh is due when that cooldown has passed.
   */
  private store(state: KeySetState, published: Map<string, PublishedKey>, reason: KeySetFetchReason): void {
    const { jwks, emit } = this.options;
    const now = this.options.now();
    const previous = state.keys;
    if (!previous) state.absentSince.clear();
    const next = new Map<string, CachedKey>();
    const added: string[] = [];
    for (const [kid, key] of published) {
      if (this.revoked.has(kid)) continue;
      const old = previous?.get(kid);
      const unchanged = old && old.n === key.n && old.e === key.e && old.issuer === key.issuer && old.alg === key.alg;
      next.set(kid, unchanged ? old : { ...key, imported: new Map(), ready: new Map() });
      state.absentSince.delete(kid);
      if (previous && !old) added.push(kid);
    }
    const removed: string[] = [];
    if (previous) {
      for (const [kid, old] of previous) {
        if (next.has(kid)) continue;
        const since = state.absentSince.get(kid);
        if (since !== undefined && now - since >= jwks.unknownKidCooldownMs) {
          state.absentSince.delete(kid);
          removed.push(kid);
        } else {
          if (since === undefined) state.absentSince.set(kid, now);
          next.set(kid, old);
        }
      }
    }
    state.keys = next;
    state.failure = undefined;
    const refreshDueAt = now + jwks.refreshIntervalMs * (0.9 + Math.random() * 0.2);
    state.staleUntil = refreshDueAt + jwks.staleIfErrorMs;
    // A removal waits for confirmation: fetch again once a cooldown has passed since the first
    // response that lacked a key, not in 12 h.
    let confirmAt = refreshDueAt;
    for (const since of state.absentSince.values()) confirmAt = Math.min(confirmAt, since + jwks.unknownKidCooldownMs);
    state.refreshDueAt = confirmAt;
    emit({ type: 'key_set_fetched', url: state.url, reason, kids: [...next.keys()] });
    if (added.length || removed.length) emit({ type: 'key_set_rotated', url: state.url, added, removed });
  }

  private revokedKey(url: string, kid: string): EntraAuthError {
    return authError(
      'signing_key_not_found',
      'The token signing key is not recognized.',
      `Key ${shown(kid)} was revoked on this verifier with revokeKey(); tokens it signed are refused even while ${url} still publishes it.`,
    );
  }

  private unavailable(state: KeySetState): EntraAuthError {
    const retryAfterSeconds = Math.max(1, Math.ceil((state.coldRetryAt - this.options.now()) / 1000));
    const failure = state.failure;
    const wrongTenant = failure?.status === 400 || failure?.status === 404;
    return authError(
      'keys_unavailable',
      'The token signing keys are temporarily unavailable. Try again shortly.',
      `No signing keys could be loaded from ${state.url}: it ${failure?.message ?? 'could not be fetched'}. ` +
        (wrongTenant
          ? 'Entra answers 400/404 for a tenant that does not exist in this cloud: check the tenant GUID and the cloud option.'
          : failure?.foreignCloud
            ? 'The request reached another cloud\'s authority: check the cloud option, and any proxy or DNS override between this host and the authority.'
            : 'Check outbound HTTPS from this host to the authority (proxies, firewalls, DNS); verification resumes by itself once the keys load.'),
      { retryAfterSeconds },
    );
  }
}
