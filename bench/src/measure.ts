// Measuring helpers. Results are measurements, never assertions.
//
// - `inRounds`: the generic interleaving. Every variant gets one short slice per round, in an order
//   rotated each round (and reversed every other round), so drift on a noisy machine falls on all
//   of them alike; each slice records a few numbers (ops/s, CPU µs per request, …).
// - `interleave`: `inRounds` for operations (sync or async, N in flight) measured in ops/s.
// - `Rounds`: what was recorded, read as medians over rounds, and as the MEDIAN OF PER-ROUND
//   RATIOS between two variants (not the ratio of the medians): the two slices of one round ran
//   seconds apart, under the same conditions, so their ratio is the one number a noisy machine
//   does not move much.
// - `measure`: one fixed-duration loop (kept for authorities.ts and one-off rows).

export interface Measurement {
  opsPerSecond: number;
  p50Micros: number;
  p99Micros: number;
  operations: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** The lower and upper quartiles (medians of the lower and upper halves); NaN for none. */
export function quartiles(values: readonly number[]): [number, number] {
  const sorted = [...values].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  return [median(sorted.slice(0, half || 1)), median(sorted.slice(sorted.length - (half || 1)))];
}

/** The median (the mean of the two middle values for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Run `op(i)` for `durationMs` with `concurrency` operations in flight, and at most `maxOps`
 * times (so a run over distinct tokens never reuses one).
 */
export async function measure(op: (i: number) => unknown, durationMs: number, concurrency = 1, maxOps = Number.POSITIVE_INFINITY): Promise<Measurement> {
  const latencies: number[] = [];
  let next = 0;
  const deadline = performance.now() + durationMs;
  const started = performance.now();
  const lane = async () => {
    while (performance.now() < deadline && next < maxOps) {
      const i = next++;
      const t = performance.now();
      const result = op(i);
      if (result instanceof Promise) await result;
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const elapsed = performance.now() - started;
  const sorted = Float64Array.from(latencies).sort();
  return { opsPerSecond: (latencies.length / elapsed) * 1000, p50Micros: percentile(sorted, 50) * 1000, p99Micros: percentile(sorted, 99) * 1000, operations: latencies.length };
}

export function heapUsedMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/** A young-generation collection between slices (with --expose-gc), so one variant's garbage is not collected on the next one's time. */
export function minorGc(): void {
  (globalThis as { gc?: (options?: { type: 'minor' | 'major' }) => void }).gc?.({ type: 'minor' });
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The order of round `round`: rotated by one each round, and reversed every other round. */
export function roundOrder<T>(items: readonly T[], round: number): T[] {
  const shift = items.length ? round % items.length : 0;
  const rotated = [...items.slice(shift), ...items.slice(0, shift)];
  return round % 2 ? rotated.reverse() : rotated;
}

/** Numbers recorded per variant per round, read as medians and median per-round ratios. */
export class Rounds<M extends string = string> {
  /** variant → metric → one value per round (in round order). */
  private readonly values = new Map<string, Map<M, number[]>>();

  constructor(
    readonly names: readonly string[],
    readonly rounds: number,
  ) {
    for (const name of names) this.values.set(name, new Map());
  }

  record(name: string, sample: Record<M, number>): void {
    const metrics = this.values.get(name);
    if (!metrics) throw new Error(`unknown variant ${name}`);
    for (const [metric, value] of Object.entries(sample) as Array<[M, number]>) {
      const list = metrics.get(metric) ?? [];
      list.push(value);
      metrics.set(metric, list);
    }
  }

  /** One value per round, in round order. */
  series(name: string, metric: M): number[] {
    return this.values.get(name)?.get(metric) ?? [];
  }

  median(name: string, metric: M): number {
    return median(this.series(name, metric));
  }

  /** `a / b` within each round (rounds where either is missing or zero left out). */
  ratios(a: string, b: string, metric: M): number[] {
    const x = this.series(a, metric);
    const y = this.series(b, metric);
    return x.map((value, round) => value / y[round]!).filter((r) => Number.isFinite(r));
  }

  /** The median over rounds of `a / b` within the same round. */
  ratio(a: string, b: string, metric: M): number {
    return median(this.ratios(a, b, metric));
  }

  /** The median over rounds of `a - b` within the same round. */
  difference(a: string, b: string, metric: M): number {
    const x = this.series(a, metric);
    const y = this.series(b, metric);
    return median(x.map((value, round) => value - y[round]!).filter((d) => Number.isFinite(d)));
  }
}

/**
 * The generic interleaving: `warmup(name)` once per variant (optional), then `rounds` rounds in
 * which `slice(name, round)` runs once per variant, in `order(round)` (default: `roundOrder` of
 * all names); what each slice returns is recorded.
 */
export async function inRounds<M extends string>(
  names: readonly string[],
  rounds: number,
  slice: (name: string, round: number) => Promise<Record<M, number>>,
  warmup?: (name: string) => Promise<unknown>,
  order: (round: number) => readonly string[] = (round) => roundOrder(names, round),
): Promise<Rounds<M>> {
  const result = new Rounds<M>(names, rounds);
  if (warmup) for (const name of names) await warmup(name);
  for (let round = 0; round < rounds; round++) {
    const sequence = order(round);
    if (sequence.length !== names.length || !names.every((name) => sequence.includes(name))) throw new Error('order(round) must list every variant once');
    for (const name of sequence) result.record(name, await slice(name, round));
  }
  return result;
}

/**
 * An order for `inRounds` that keeps each group's variants next to each other (so the slices a
 * per-round ratio compares ran seconds apart): groups in `roundOrder`, and each group's variants
 * in `roundOrder` too.
 */
export function groupedOrder(groups: ReadonlyArray<readonly string[]>): (round: number) => string[] {
  return (round) => roundOrder(groups, round).flatMap((group) => roundOrder(group, round));
}

export interface Variant {
  name: string;
  /** One operation, sync or async. `i` counts this variant's operations over the whole run, from 0 (warm-up included). */
  op: (i: number) => unknown;
  /** Operations in flight (default 1). */
  concurrency?: number;
  /**
   * At most this many operations over the whole run, warm-up included (e.g. the number of distinct
   * tokens, so none is verified twice): each slice then does at most
   * `floor(maxOps / (rounds + 1))` operations and ends early when it has.
   */
  maxOps?: number;
}

export interface InterleaveOptions {
  rounds: number;
  /** The longest a slice runs. */
  sliceMs: number;
}

/** What `interleave` recorded: ops/s per variant per round. */
export interface Interleaved extends Rounds<'opsPerSecond'> {
  /** Operations each variant did per slice at most (the distinct-token cap), when any variant had one. */
  readonly opsPerSliceCap: number | undefined;
  /** The median over rounds of the slices' lengths, in ms. */
  readonly medianSliceMs: number;
}

/**
 * Interleaved rounds of operations: a warm-up slice per variant, then `rounds` rounds of one slice
 * of each (order rotated each round). A slice runs `op` for `sliceMs`, or until the variant's
 * per-slice share of `maxOps` is used; it records ops/s. A young-generation GC runs between
 * slices.
 */
export async function interleave(variants: readonly Variant[], options: InterleaveOptions): Promise<Interleaved> {
  const byName = new Map(variants.map((v) => [v.name, v]));
  if (byName.size !== variants.length) throw new Error('variant names must be distinct');
  const next = new Map(variants.map((v) => [v.name, 0]));
  const caps: number[] = [];
  const sliceLengths: number[] = [];
  const cap = (v: Variant) => (v.maxOps === undefined ? Number.POSITIVE_INFINITY : Math.max(1, Math.floor(v.maxOps / (options.rounds + 1))));
  for (const v of variants) if (v.maxOps !== undefined) caps.push(cap(v));
  const run = async (name: string, record: boolean): Promise<Record<'opsPerSecond', number>> => {
    const v = byName.get(name)!;
    const limit = cap(v);
    minorGc();
    await nextTurn();
    let done = 0;
    const started = performance.now();
    const deadline = started + options.sliceMs;
    const concurrency = v.concurrency ?? 1;
    if (concurrency === 1) {
      // At least a few operations, so a slow variant still yields a number.
      while (done < limit && (done < 3 || performance.now() < deadline)) {
        const i = next.get(name)!;
        next.set(name, i + 1);
        const result = v.op(i);
        if (result instanceof Promise) await result;
        done++;
      }
    } else {
      const lane = async () => {
        while (done < limit && (done < 3 || performance.now() < deadline)) {
          const i = next.get(name)!;
          next.set(name, i + 1);
          done++;
          const result = v.op(i);
          if (result instanceof Promise) await result;
        }
      };
      await Promise.all(Array.from({ length: concurrency }, lane));
    }
    const elapsed = performance.now() - started;
    if (record) sliceLengths.push(elapsed);
    return { opsPerSecond: (done / elapsed) * 1000 };
  };
  const rounds = await inRounds(
    variants.map((v) => v.name),
    options.rounds,
    (name) => run(name, true),
    (name) => run(name, false),
  );
  return Object.assign(rounds, { opsPerSliceCap: caps.length ? Math.min(...caps) : undefined, medianSliceMs: median(sliceLengths) });
}
