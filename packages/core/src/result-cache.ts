// Verified tokens by their exact text. A hit skips parsing, the signature and every check that
// depends only on the token and the configuration; time, a tenant callback and the route
// requirement still run on every call, and an entry dies with its signing key.
import { LRUCache } from 'lru-cache';
import type { CachedKey } from './jwks/key-set-cache.js';
import type { VerifiedAccessToken } from './verified-token.js';

export interface CachedVerification {
  auth: VerifiedAccessToken;
  keySetUrl: string;
  kid: string;
  key: CachedKey;
}

export class ResultCache {
  private readonly entries: LRUCache<string, CachedVerification>;

  constructor(maxEntries: number) {
    this.entries = new LRUCache({ max: maxEntries });
  }

  get(token: string): CachedVerification | undefined {
    return this.entries.get(token);
  }

  /** Kept until the token expires (plus tolerance) in wall-clock time, or evicted as least recently used. */
  set(token: string, entry: CachedVerification, ttlMs: number): void {
    if (ttlMs > 0) this.entries.set(token, entry, { ttl: ttlMs });
  }

  delete(token: string): void {
    this.entries.delete(token);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
