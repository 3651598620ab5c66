// Parsed JOSE headers by their base64url text, for the few headers a verifier sees all day (one per
// signing key and token type). Filled only with headers of tokens that verified, so a flood of
// forged headers never enters it; bounded; and a kid is dropped once its key is gone (revoked, or
// no longer found in the key set), so the memo never outlives the key it was made with.
import type { JwsHeader } from './claims.js';

/** Enough for every key Entra publishes at once (a handful) times the header shapes of each. */
const DEFAULT_CAPACITY = 16;

export class HeaderMemo {
  private readonly byText = new Map<string, { header: JwsHeader; kid: string }>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /** The parsed header of a verified token with exactly this header text, frozen. */
  get(text: string): JwsHeader | undefined {
    return this.byText.get(text)?.header;
  }

  /** Remember a verified token's header (frozen: results share it); the oldest goes first when full. */
  remember(text: string, header: JwsHeader, kid: string): void {
    if (this.byText.has(text)) return;
    if (this.byText.size >= this.capacity) this.byText.delete(this.byText.keys().next().value!);
    this.byText.set(text, { header: Object.freeze(header), kid });
  }

  /** Drop the headers of key `kid` (its key left the key set or was revoked). */
  forgetKey(kid: string): void {
    for (const [text, entry] of this.byText) if (entry.kid === kid) this.byText.delete(text);
  }

  clear(): void {
    this.byText.clear();
  }

  get size(): number {
    return this.byText.size;
  }
}
