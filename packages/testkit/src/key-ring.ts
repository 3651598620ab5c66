// The fake's signing keys: which one signs, which are published, and app-specific key sets.
import { createSigningKey, type FakeSigningKey } from './signing-key.js';

export class KeyRing {
  /** Every key the fake ever made, by kid, so tokens can still be signed with retired keys. */
  private readonly all = new Map<string, FakeSigningKey>();
  private readonly publishedKids: string[] = [];
  private readonly appKeys = new Map<string, FakeSigningKey>();
  /** Flapping kids and how many key-set responses each has been through since flap(). */
  private readonly flapping = new Map<string, number>();
  private currentKid = '';
  private personalKid = '';

  private constructor(private readonly now: () => number) {}

  static async create(now: () => number): Promise<KeyRing> {
    const ring = new KeyRing(now);
    await ring.rotate();
    return ring;
  }

  /**
   * The key personal-account tokens are signed with, bound to the personal-account issuer. Made on
   * first use (RSA key generation is the slow part of creating a fake, and most tests never need it).
   */
  async personal(): Promise<FakeSigningKey> {
    if (!this.personalKid) {
      const key = await createSigningKey(this.now());
      if (!this.personalKid) {
        this.all.set(key.kid, key);
        this.personalKid = key.kid;
      }
    }
    return this.get(this.personalKid);
  }

  /**
   * Make a key drop out of every other key-set response, starting with the next one, as Microsoft's
   * front ends do (captured histories of the `common` key set show keys in use missing from one
   * response and back in the next).
   */
  flap(kid: string): void {
    this.get(kid);
    this.flapping.set(kid, 0);
  }

  /** Stop flapping one key, or all. */
  steady(kid?: string): void {
    if (kid === undefined) this.flapping.clear();
    else this.flapping.delete(kid);
  }

  /** Whether a key-set response leaves this key out; each call counts as one response for it. */
  omitNow(kid: string): boolean {
    const served = this.flapping.get(kid);
    if (served === undefined) return false;
    this.flapping.set(kid, served + 1);
    return served % 2 === 0;
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
