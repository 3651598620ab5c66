// Verified tokens by their exact text. A hit skips parsing, the signature and every check that
// depends only on the token and the configuration; time, a tenant callback and the route
// requirement still run on every call, and an entry dies with its signing key: when a removal is
// confirmed, when the key's material changes, or at once when the key is revoked.
//
// Entries are found by a number made from the last characters of the token (its signature, which
// is random), and a hit compares the whole text. Keying on the text itself made every lookup hash
// the whole token, a new 1-3 KB string on each request; this costs a few character reads.
import { LRUCache } from 'lru-cache';
import type { CachedKey } from '../keys/key-set-cache.js';
import type { VerifiedAccessToken } from '../token/verified-token.js';

/** One verified token and what it depends on. */
export interface CachedVerification {
  /** The verified result, frozen; `auth.token` is the text a hit must equal. */
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

/** How the cache is bounded: by entries, by estimated bytes, or both. */
export interface ResultCacheLimits {
  maxEntries?: number;
  maxBytes?: number;
}

/** Characters of the token's tail mixed into its lookup number (the signature's last 48 bits and more). */
const TAIL_CHARACTERS = 12;

/**
 * A number for the token, from its last characters: a 30-bit value, so V8 keeps it a small
 * integer and the LRU's map hashes it without allocating. Tokens whose tails collide only share
 * a slot: a lookup compares the whole text, so a collision is a miss, never a wrong hit.
 */
export function tailNumber(token: string): number {
  let hash = 0x811c9dc5;
  for (let i = Math.max(0, token.length - TAIL_CHARACTERS); i < token.length; i++) hash = Math.imul(hash ^ token.charCodeAt(i), 0x01000193);
  return hash & 0x3fffffff;
}

/**
 * What an entry holds alive, estimated: the token text (one byte per character in V8) and the
 * claims parsed from it (measured at about the token's length again: strings plus object
 * shapes), plus the entry's own objects. Measured for a 1.3 KB Entra token: about 2.8 KB in all.
 */
export function estimatedEntryBytes(token: string): number {
  return 2 * token.length + ENTRY_OVERHEAD_BYTES;
}
const ENTRY_OVERHEAD_BYTES = 200;

/** Sightings kept at most when only maxBytes bounds the cache (a Set of numbers: about 16 MB). */
const MAX_SIGHTINGS = 1_000_000;

/** Verified tokens by their exact text, bounded, admitted at their second verification. */
export class ResultCache {
  private readonly entries: LRUCache<number, CachedVerification>;
  /**
   * Tokens seen once, by their tail number. A token is cached the second time it is verified:
   * clients reuse a token for up to an hour, so this costs one extra verification per token, and
   * a stream of distinct tokens (or forged ones) no longer churns the cache and the heap. A
   * collision only lets a token in one sighting early. Numbers pin no token text.
   */
  private sightings = new Set<number>();
  private readonly maxSightings: number;

  constructor(limits: ResultCacheLimits) {
    const { maxEntries, maxBytes } = limits;
    const bySize = { maxSize: maxBytes!, sizeCalculation: (entry: CachedVerification) => estimatedEntryBytes(entry.auth.token) };
    this.entries =
      maxBytes === undefined
        ? new LRUCache<number, CachedVerification>({ max: maxEntries ?? 1000 })
        : new LRUCache<number, CachedVerification>(maxEntries === undefined ? bySize : { max: maxEntries, ...bySize });
    // With a byte bound only, sightings are bounded by how many 1 KB entries would fit (at most a million).
    this.maxSightings = maxEntries ?? Math.min(MAX_SIGHTINGS, Math.max(1, Math.ceil((maxBytes ?? 0) / 1024)));
  }

  /** Whether to cache this token now: on its second verification. */
  admit(token: string): boolean {
    const sighting = tailNumber(token);
    if (this.sightings.has(sighting)) {
      this.sightings.delete(sighting);
      return true;
    }
    // Bounded like the cache; clearing forgets sightings, which only delays admission.
    if (this.sightings.size >= this.maxSightings) this.sightings = new Set();
    this.sightings.add(sighting);
    return false;
  }

  /** The entry for exactly this token, unless it has expired (then it is dropped). */
  get(token: string, now: number): CachedVerification | undefined {
    const slot = tailNumber(token);
    const entry = this.entries.get(slot);
    if (entry === undefined || entry.auth.token !== token) return undefined;
    if (now > entry.expiresAt) {
      this.entries.delete(slot);
      return undefined;
    }
    return entry;
  }

  /**
   * Kept until evicted as least recently used; expiry is checked on read. (lru-cache's per-entry
   * TTL tracking cost a third of the verification rate on a miss-heavy load.)
   */
  set(entry: CachedVerification): void {
    this.entries.set(tailNumber(entry.auth.token), entry);
  }

  /** Drop this token's entry (not another token's that shares its slot). */
  delete(token: string): void {
    const slot = tailNumber(token);
    if (this.entries.peek(slot)?.auth.token === token) this.entries.delete(slot);
  }

  /** Drop every entry verified with key `kid` (an emergency key revocation); returns how many. */
  deleteSignedBy(kid: string): number {
    const doomed: number[] = [];
    this.entries.forEach((entry, slot) => {
      if (entry.kid === kid) doomed.push(slot);
    });
    for (const slot of doomed) this.entries.delete(slot);
    return doomed.length;
  }

  clear(): void {
    this.entries.clear();
    this.sightings.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  /** The estimated bytes the entries hold alive (see {@link estimatedEntryBytes}). */
  get bytes(): number {
    let total = 0;
    this.entries.forEach((entry) => (total += estimatedEntryBytes(entry.auth.token)));
    return total;
  }
}
