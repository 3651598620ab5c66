// `offload: 'auto'` against the default synchronous verification, at several numbers of
// verifications in flight, in interleaved rounds. Run in the benchmark's process (libuv's thread
// pool as the process has it) and in a child of its own (offload-child.ts) whose pool is sized to
// the free cores: UV_THREADPOOL_SIZE is read once, when the pool first starts, so only a new
// process can try another size.
import type { EntraVerifier } from '@entra-verify/core';
import { interleave, type Variant } from './measure.js';

export interface OffloadRow {
  inFlight: number;
  syncOpsPerSecond: number;
  autoOpsPerSecond: number;
  /** Median of per-round ratios auto / sync. */
  ratio: number;
}

export interface OffloadComparison {
  rows: OffloadRow[];
  rounds: number;
  opsPerSliceCap: number | undefined;
  medianSliceMs: number;
}

/**
 * `verifierFor` makes a verifier with the given extra options (`{}` or `{ offload: 'auto' }`);
 * `pool` holds distinct tokens (none is verified twice by one verifier), `warm` one more.
 */
export async function compareOffload(
  verifierFor: (options: Record<string, unknown>) => EntraVerifier,
  pool: readonly string[],
  warm: string,
  inFlights: readonly number[],
  settings: { rounds: number; sliceMs: number },
): Promise<OffloadComparison> {
  const variants: Variant[] = [];
  const verifiers: EntraVerifier[] = [];
  const name = (kind: 'sync' | 'auto', inFlight: number) => `${kind}, ${inFlight} in flight`;
  for (const inFlight of inFlights) {
    for (const kind of ['sync', 'auto'] as const) {
      const verifier = verifierFor(kind === 'sync' ? {} : { offload: 'auto' });
      await verifier.verify(warm);
      verifiers.push(verifier);
      variants.push({ name: name(kind, inFlight), op: (i) => verifier.verify(pool[i % pool.length]!), concurrency: inFlight, maxOps: pool.length });
    }
  }
  const m = await interleave(variants, settings);
  for (const verifier of verifiers) verifier.close();
  return {
    rows: inFlights.map((inFlight) => ({
      inFlight,
      syncOpsPerSecond: m.median(name('sync', inFlight), 'opsPerSecond'),
      autoOpsPerSecond: m.median(name('auto', inFlight), 'opsPerSecond'),
      ratio: m.ratio(name('auto', inFlight), name('sync', inFlight), 'opsPerSecond'),
    })),
    rounds: m.rounds,
    opsPerSliceCap: m.opsPerSliceCap,
    medianSliceMs: m.medianSliceMs,
  };
}
