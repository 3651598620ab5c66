// offload: 'auto' (Node): when signature checks go to libuv's thread pool, and that nothing about
// the outcome changes when they do.
import { createFakeEntra } from '@entra-verify/testkit';
import { describe, expect, it } from 'vitest';
import { createEntraVerifier } from '../src/index.js';
import { OffloadScheduler } from '../src/keys/crypto/offload-scheduler.js';
import { rejection } from './support/backends.js';

/** A scheduler whose turns end when the test says so. */
function manualTurns() {
  const pending: Array<() => void> = [];
  const scheduler = new OffloadScheduler((callback) => pending.push(callback));
  return { scheduler, endTurn: () => pending.splice(0).forEach((callback) => callback()) };
}

describe('the offload scheduler', () => {
  it('runs the first verification of a turn inline and offloads the others of that turn', () => {
    const { scheduler, endTurn } = manualTurns();
    expect([scheduler.offload(), scheduler.offload(), scheduler.offload()]).toEqual([false, true, true]);
    endTurn();
    expect([scheduler.offload(), scheduler.offload()]).toEqual([false, true]);
  });

  it('stays inline for a while once an offloaded check came back with nothing overlapping it (a caller awaiting one at a time)', () => {
    const { scheduler } = manualTurns();
    scheduler.offload();
    expect(scheduler.offload()).toBe(true);
    scheduler.returned(scheduler.mark);
    const next = Array.from({ length: 256 }, () => scheduler.offload());
    expect(next.every((offloaded) => !offloaded)).toBe(true);
    expect(scheduler.offload()).toBe(true);
  });

  it('keeps offloading while other verifications start during an offloaded one', () => {
    const { scheduler } = manualTurns();
    scheduler.offload();
    expect(scheduler.offload()).toBe(true);
    const mark = scheduler.mark;
    scheduler.offload();
    scheduler.returned(mark);
    expect(scheduler.offload()).toBe(true);
  });
});

describe("verification with offload: 'auto'", () => {
  it('accepts and refuses exactly as synchronous verification does, with many checks in flight', async () => {
    const entra = await createFakeEntra({ apis: [{ scopes: ['Data.Read'] }] });
    const options = { tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, resultCache: false as const };
    const spread = createEntraVerifier({ ...options, offload: 'auto' });
    const inline = createEntraVerifier(options);
    const valid = await Promise.all(Array.from({ length: 64 }, () => entra.mint({ scopes: ['Data.Read'] })));
    const forged = valid.map((token) => {
      const [header, payload] = token.split('.');
      return `${header}.${payload}.${valid[(valid.indexOf(token) + 1) % valid.length]!.split('.')[2]}`;
    });
    await spread.warm();
    const accepted = await Promise.all(valid.map((token) => spread.verify(token)));
    expect(accepted.map((auth) => auth.token)).toEqual(valid);
    const refused = await Promise.all(forged.map((token) => rejection(spread.verify(token))));
    expect(new Set(refused.map((error) => error.code))).toEqual(new Set(['invalid_signature']));
    for (const token of [...valid.slice(0, 4), ...forged.slice(0, 4)]) {
      const outcome = (verifier: typeof spread) => verifier.verify(token).then(() => 'accepted', (error: { code: string }) => error.code);
      expect(await outcome(spread)).toBe(await outcome(inline));
    }
  });
});
