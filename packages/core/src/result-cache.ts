// Verified tokens by their exact text. A hit skips parsing, the signature and every check that
// depends only on the token and the configuration; time, a tenant callback and the route
// requirement still run on every call, and an entry dies with its signing key.
import { LRUCache } from 'lru-cache';
import type { CachedKey } from './jwks/key-set-cache.js';
import type { VerifiedAccessToken } from './verified-token.js';

export interface CachedVerification {
  auth: VerifiedAccessToken;
  /** Epoch ms after which the entry is useless (exp plus tolerance); checked on every hit. */
  expiresAt: number;
  keySetUrl: string;
  kid: string;
  key: CachedKey;
}

export class ResultCache {
  private readonly entries: LRUCache<string, CachedVerification>;

  constructor(maxEntries: number) {
    this.entries = new LRUCache({ max: maxEntries });
  }

  /** The entry, unless its token has expired (then it is dropped). */
  get(token: string, now: number): CachedVerification | undefined {
    const entry = this.entries.get(token);
    if (entry && now > entry.expiresAt) {
      this.entries.delete(token);
      return undefined;
    }
    return entry;
  }

  /**
   * Kept until evicted as least recently used; expiry is checked on read. (lru-cache's per-entry
   * TTL tracking cost a third of the verification rate on a miss-heavy load.)
   */
  set(token: string, entry: CachedVerification): void {
    this.entries.set(token, entry);
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
