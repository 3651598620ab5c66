// Every request the fake answers, so tests can assert what a verifier fetched and how often.

/** Which endpoint a request hit (`unknown` for a path the fake does not serve). */
export type FakeEndpoint = 'discovery' | 'keys' | 'token' | 'devicecode' | 'instance-discovery' | 'authorize' | 'logout' | 'sign-in' | 'unknown';

/** One request the fake answered. */
export interface FakeRequestRecord {
  /** HTTP method. */
  method: string;
  /** Which endpoint it hit. */
  endpoint: FakeEndpoint;
  /** Path without the query, e.g. `/{tid}/discovery/v2.0/keys`. */
  path: string;
  /** Query string including `?`, or `''`. */
  search: string;
  /** The tenant segment of the path (`common`, a GUID, ...), if any. */
  tenant: string | undefined;
  /** The status the fake answered with. */
  status: number;
  /** For the token endpoint: the request's `grant_type` (`authorization_code`, `refresh_token`, …). */
  grantType?: string;
  /** When, in epoch ms by the fake's clock. */
  at: number;
}

/** The request log behind `entra.requests`. */
export class RequestLog {
  private readonly records: FakeRequestRecord[] = [];

  /** Records a request (the fake does this; tests read). */
  add(record: FakeRequestRecord): void {
    this.records.push(record);
  }

  /** All records, oldest first. */
  all(): FakeRequestRecord[] {
    return [...this.records];
  }

  /** How many requests hit an endpoint (or matched a predicate); every request when no filter is given. */
  count(filter?: FakeEndpoint | ((record: FakeRequestRecord) => boolean)): number {
    if (filter === undefined) return this.records.length;
    const match = typeof filter === 'function' ? filter : (r: FakeRequestRecord) => r.endpoint === filter;
    return this.records.filter(match).length;
  }

  /** Request counts per path (with the query), e.g. `{ '/common/discovery/v2.0/keys': 1 }`. */
  byPath(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of this.records) counts[r.path + r.search] = (counts[r.path + r.search] ?? 0) + 1;
    return counts;
  }

  /** Forgets every record, e.g. between the phases of a test. */
  clear(): void {
    this.records.length = 0;
  }
}
