// The fake's signing keys: which one signs, which are published, and app-specific key sets.
import { createSigningKey, type FakeSigningKey } from './signing-key.js';

export class KeyRing {
  /** Every key the fake ever made, by kid, so tokens can still be signed with retired keys. */
  private readonly all = new Map<string, FakeSigningKey>();
  private readonly publishedKids: string[] = [];
  private readonly appKeys = new Map<string, FakeSigningKey>();
  private currentKid = '';

  private constructor(private readonly now: () => number) {}

  static async create(now: () => number): Promise<KeyRing> {
    const ring = new KeyRing(now);
    await ring.rotate();
    return ring;
  }

  get current(): FakeSigningKey {
    return this.get(this.currentKid);
  }

  get published(): FakeSigningKey[] {
    return this.publishedKids.map((kid) => this.get(kid));
  }

  get(kid: string): FakeSigningKey {
    const key = this.all.get(kid) ?? [...this.appKeys.values()].find((k) => k.kid === kid);
    if (!key) throw new Error(`fake Entra has no signing key with kid "${kid}"`);
    return key;
  }

  /** A new key becomes the signing key; the old ones stay published, as during Entra's rollover. */
  async rotate(): Promise<FakeSigningKey> {
    const key = await createSigningKey(this.now());
    this.all.set(key.kid, key);
    this.publishedKids.push(key.kid);
    this.currentKid = key.kid;
    return key;
  }

  /** Stop publishing a key. Signing with it stays possible (that is the point of the test). */
  retire(kid: string): void {
    const index = this.publishedKids.indexOf(kid);
    if (index === -1) throw new Error(`fake Entra does not publish a key with kid "${kid}"`);
    if (kid === this.currentKid) throw new Error('retire(kid): rotate() first; the current signing key cannot be retired');
    this.publishedKids.splice(index, 1);
  }

  /** A key that is never published anywhere. */
  async unpublished(): Promise<FakeSigningKey> {
    const key = await createSigningKey(this.now());
    this.all.set(key.kid, key);
    return key;
  }

  /** The custom signing key of an app (published only at `?appid=`), made on first use. */
  async forApp(appId: string): Promise<FakeSigningKey> {
    let key = this.appKeys.get(appId);
    if (!key) {
      key = await createSigningKey(this.now());
      this.appKeys.set(appId, key);
    }
    return key;
  }

  appKey(appId: string): FakeSigningKey | undefined {
    return this.appKeys.get(appId);
  }
}
