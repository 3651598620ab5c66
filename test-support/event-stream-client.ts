// What an EventSource does, for the adapters' query-token tests: GET with
// Accept: text/event-stream (and no way to set Authorization), then read the `data:` lines.
export interface EventStreamResult {
  status: number;
  challenge: string | null;
  events: Array<Record<string, unknown>>;
}

export async function readEventStream(url: string, headers: Record<string, string> = {}): Promise<EventStreamResult> {
  const response = await fetch(url, { headers: { accept: 'text/event-stream', 'cache-control': 'no-cache', ...headers } });
  const text = await response.text();
  const events = text
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => JSON.parse(block.slice(6)) as Record<string, unknown>);
  return { status: response.status, challenge: response.headers.get('www-authenticate'), events };
}
