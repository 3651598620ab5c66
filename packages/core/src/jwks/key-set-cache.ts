// Signing keys per key-set URL, in an LRU. The rules (DESIGN.md §3): one fetch for any number of
// concurrent cold requests; a lazy background refresh every ~12 h (requests never wait for it);
// at most one refetch per cooldown for unknown kids, however many arrive; the last good keys keep
// serving through failures (stale-if-error); a key dropped from the set stops verifying once a
// refresh sees it gone. No timers: nothing keeps a process or a Worker alive.
import { LRUCache } from 'lru-cache';
import type { SignatureBackend } from '../crypto/signature-backend.js';
import { authError, type EntraAuthError } from '../errors.js';
import type { EventSink, KeySetFetchReason } from '../events.js';
import type { JwksOptions } from '../options.js';
import { fetchJson, FetchJsonError } from './fetch-json.js';
import { parseKeySet, type PublishedKey } from './parse-key-set.js';

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
  failure: { message: string; status: number | undefined } | undefined;
}

export interface KeySetCacheOptions {
  jwks: Required<JwksOptions>;
  fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  now: () => number;
  emit: EventSink;
  backend: SignatureBackend;
}

/** How long a cold (never loaded) key set waits before another fetch after a failure. */
const COLD_RETRY_MS = 10_000;

export class KeySetCache {
  private readonly states: LRUCache<string, KeySetState>;
  private readonly closed = new AbortController();

  constructor(private readonly options: KeySetCacheOptions) {
    this.states = new LRUCache({ max: options.jwks.maxEntries });
  }

  /** The key for `kid`, fetching or refetching the set as the rules allow. */
  async getKey(url: string, kid: string): Promise<CachedKey | undefined> {
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

  /** The key as cached now, without fetching: for the result cache's "is my key still there?". */
  currentKey(url: string, kid: string): CachedKey | undefined {
    const state = this.states.get(url);
    return state && this.options.now() < state.staleUntil ? state.keys?.get(kid) : undefined;
  }

  importKey(key: CachedKey, alg: string): Promise<unknown> {
    let imported = key.imported.get(alg);
    if (!imported) {
      imported = this.options.backend.importKey({ kty: 'RSA', n: key.n, e: key.e }, alg);
      imported.then((value) => key.ready.set(alg, value), () => {});
      key.imported.set(alg, imported);
    }
    return imported;
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
  failureOf(url: string): KeySetState['failure'] {
    return this.states.get(url)?.failure;
  }

  close(): void {
    this.closed.abort(new Error('verifier closed'));
    this.states.clear();
  }

  private stateFor(url: string): KeySetState {
    let state = this.states.get(url);
    if (!state) {
      state = { url, keys: undefined, refreshDueAt: 0, staleUntil: 0, lastUnknownKidFetchAt: Number.NEGATIVE_INFINITY, coldRetryAt: 0, inflight: undefined, failure: undefined };
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
    try {
      const document = await fetchJson(state.url, { fetch: this.options.fetch, timeoutMs: jwks.timeoutMs, maxBytes: jwks.maxResponseBytes, signal: this.closed.signal });
      const published = parseKeySet(document);
      if (!published) throw new FetchJsonError('answered with JSON that is not a key set (no "keys" array)', 200);
      // An empty set is far likelier a fault than Entra retiring every key: keep the good ones.
      if (published.size === 0) throw new FetchJsonError('answered with a key set without usable RSA signing keys', 200);
      const previous = state.keys;
      const next = new Map<string, CachedKey>();
      for (const [kid, key] of published) {
        const old = previous?.get(kid);
        const unchanged = old && old.n === key.n && old.e === key.e && old.issuer === key.issuer;
        next.set(kid, unchanged ? old : { ...key, imported: new Map(), ready: new Map() });
      }
      const now = this.options.now();
      state.keys = next;
      state.failure = undefined;
      state.refreshDueAt = now + jwks.refreshIntervalMs * (0.9 + Math.random() * 0.2);
      state.staleUntil = state.refreshDueAt + jwks.staleIfErrorMs;
      emit({ type: 'key_set_fetched', url: state.url, reason, kids: [...next.keys()] });
      if (previous) {
        const added = [...next.keys()].filter((kid) => !previous.has(kid));
        const removed = [...previous.keys()].filter((kid) => !next.has(kid));
        if (added.length || removed.length) emit({ type: 'key_set_rotated', url: state.url, added, removed });
      }
    } catch (error) {
      const failure = error instanceof FetchJsonError ? error : new FetchJsonError(String(error));
      const now = this.options.now();
      state.failure = { message: failure.message, status: failure.status };
      state.coldRetryAt = now + Math.min(COLD_RETRY_MS, jwks.unknownKidCooldownMs);
      if (state.keys) state.refreshDueAt = now + Math.min(jwks.unknownKidCooldownMs, jwks.refreshIntervalMs);
      if (state.keys && now >= state.staleUntil) state.keys = undefined;
      emit({ type: 'key_set_fetch_failed', url: state.url, reason, message: failure.message, ...(failure.status ? { status: failure.status } : {}), servingStale: state.keys !== undefined });
    }
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
          : 'Check outbound HTTPS from this host to the authority (proxies, firewalls, DNS); verification resumes by itself once the keys load.'),
      { retryAfterSeconds },
    );
  }
}
