// Measuring helpers: a fixed-duration loop (sequential or N in flight) that reports ops/s and
// latency percentiles. Results are measurements, never assertions.

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
