// Verified tokens by their exact text. A hit skips parsing, the signature and every check that
// depends only on the token and the configuration; time, a tenant callback and the route
// requirement still run on every call, and an entry dies with its signing key: when a removal is
// confirmed, when the key's material changes, or at once when the key is revoked.
import { LRUCache } from 'lru-cache';
import type { CachedKey } from '../keys/key-set-cache.js';
import type { VerifiedAccessToken } from '../token/verified-token.js';

/** One verified token and what it depends on. */
export interface CachedVerification {
  /** The verified result, frozen. */
  auth: VerifiedAccessToken;
  /** Epoch ms after which the entry is useless (exp plus tolerance); checked on every hit. */
  expiresAt: number;
  /** The key set that held the signing key. */
  keySetUrl: string;
  /** The signing key's id. */
  kid: string;
  /** The signing key as cached when the token was verified: a hit needs the very same object to still be served. */
  key: CachedKey;
  /** Which of the verifier's authorities accepted it (0 with one authority): a hit is judged by that authority's rules only. */
  authority: number;
}

/** Enough of the signature to tell tokens apart for admission (it is random bytes, base64url). */
const SIGHTING_KEY_LENGTH = 24;

/** Verified tokens by their exact text, bounded, admitted at their second verification. */
export class ResultCache {
  private readonly entries: LRUCache<string, CachedVerification>;
  /**
   * Tokens seen once, by a slice of their signature. A token is cached the second time it is
   * verified: clients reuse a token for up to an hour, so this costs one extra verification per
   * token, and a stream of distinct tokens (or forged ones) no longer churns the cache and the
   * heap. A collision only lets a token in one sighting early: entries are keyed by the full text.
   */
  private sightings = new Set<string>();

  constructor(private readonly maxEntries: number) {
    this.entries = new LRUCache({ max: maxEntries });
  }

  /** Whether to cache this token now: on its second verification. */
  admit(token: string): boolean {
    const sighting = token.slice(-SIGHTING_KEY_LENGTH);
    if (this.sightings.has(sighting)) {
      this.sightings.delete(sighting);
      return true;
    }
    // Bounded like the cache; clearing forgets sightings, which only delays admission.
    if (this.sightings.size >= this.maxEntries) this.sightings = new Set();
    this.sightings.add(sighting);
    return false;
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

  /** Drop every entry verified with key `kid` (an emergency key revocation); returns how many. */
  deleteSignedBy(kid: string): number {
    const doomed: string[] = [];
    this.entries.forEach((entry, token) => {
      if (entry.kid === kid) doomed.push(token);
    });
    for (const token of doomed) this.entries.delete(token);
    return doomed.length;
  }

  clear(): void {
    this.entries.clear();
    this.sightings.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
