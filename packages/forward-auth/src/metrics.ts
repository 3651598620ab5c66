// Prometheus metrics in the text exposition format 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/). Label values come from fixed
// sets (outcomes, core's error codes, key-set fetch reasons), never from requests, so the number
// of series stays bounded whatever clients send.

/** Upper bounds of the verification latency histogram, in seconds. */
const BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

const PREFIX = 'entra_forward_auth';

/** Outcome of one request to the service. */
export type RequestOutcome = 'allowed' | 'public' | 'refused' | 'unavailable' | 'error';

/** The service's counters and histogram, rendered on `/metrics`. */
export class ForwardAuthMetrics {
  private readonly requests = new Map<string, number>();
  private readonly keySetFetches = new Map<string, number>();
  private readonly reloads = new Map<string, number>();
  private readonly bucketCounts = new Array<number>(BUCKETS.length).fill(0);
  private latencySum = 0;
  private latencyCount = 0;
  private cacheHits = 0;
  private cacheLookups = 0;
  /** Whether the signing keys are loaded (the `/readyz` answer). */
  ready = false;

  /** Count a request by outcome, refusal code (or `ok` / `public`) and answered status. */
  request(outcome: RequestOutcome, code: string, status: number): void {
    const key = `outcome="${outcome}",code="${code}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  /** Record how long a verification (and the route's requirement) took, in seconds. */
  verification(seconds: number): void {
    this.latencySum += seconds;
    this.latencyCount++;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) this.bucketCounts[i]!++;
  }

  /** Record whether the result cache answered an accepted token. */
  cacheLookup(hit: boolean): void {
    this.cacheLookups++;
    if (hit) this.cacheHits++;
  }

  /** Count a key-set fetch by result and reason (`cold`, `refresh`, `unknown_kid`). */
  keySetFetch(result: 'ok' | 'failed', reason: string): void {
    const key = `result="${result}",reason="${reason}"`;
    this.keySetFetches.set(key, (this.keySetFetches.get(key) ?? 0) + 1);
  }

  /** Count a configuration reload by result. */
  reload(result: 'applied' | 'rejected'): void {
    this.reloads.set(`result="${result}"`, (this.reloads.get(`result="${result}"`) ?? 0) + 1);
  }

  /** The exposition text. */
  render(): string {
    const lines: string[] = [];
    const counter = (name: string, help: string, values: Map<string, number>) => {
      lines.push(`# HELP ${PREFIX}_${name} ${help}`, `# TYPE ${PREFIX}_${name} counter`);
      for (const [labels, value] of values) lines.push(`${PREFIX}_${name}{${labels}} ${value}`);
    };
    counter('requests_total', 'Authorization requests answered, by outcome, refusal code and status.', this.requests);
    lines.push(`# HELP ${PREFIX}_verification_seconds Time to verify a token and check the route's requirement.`, `# TYPE ${PREFIX}_verification_seconds histogram`);
    BUCKETS.forEach((bound, i) => lines.push(`${PREFIX}_verification_seconds_bucket{le="${bound}"} ${this.bucketCounts[i]}`));
    lines.push(`${PREFIX}_verification_seconds_bucket{le="+Inf"} ${this.latencyCount}`, `${PREFIX}_verification_seconds_sum ${this.latencySum}`, `${PREFIX}_verification_seconds_count ${this.latencyCount}`);
    counter('key_set_fetches_total', 'Signing key set fetches, by result and reason.', this.keySetFetches);
    lines.push(
      `# HELP ${PREFIX}_result_cache_hits_total Accepted tokens answered from the result cache.`,
      `# TYPE ${PREFIX}_result_cache_hits_total counter`,
      `${PREFIX}_result_cache_hits_total ${this.cacheHits}`,
      `# HELP ${PREFIX}_result_cache_lookups_total Accepted tokens (each looked up in the result cache).`,
      `# TYPE ${PREFIX}_result_cache_lookups_total counter`,
      `${PREFIX}_result_cache_lookups_total ${this.cacheLookups}`,
      `# HELP ${PREFIX}_result_cache_hit_ratio Share of accepted tokens answered from the result cache since start.`,
      `# TYPE ${PREFIX}_result_cache_hit_ratio gauge`,
      `${PREFIX}_result_cache_hit_ratio ${this.cacheLookups === 0 ? 0 : this.cacheHits / this.cacheLookups}`,
    );
    counter('config_reloads_total', 'Configuration reloads (SIGHUP), by result.', this.reloads);
    lines.push(`# HELP ${PREFIX}_ready Whether signing keys are loaded (1) or not yet (0).`, `# TYPE ${PREFIX}_ready gauge`, `${PREFIX}_ready ${this.ready ? 1 : 0}`);
    return `${lines.join('\n')}\n`;
  }
}
