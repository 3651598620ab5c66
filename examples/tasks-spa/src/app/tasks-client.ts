// The tasks API as the page calls it: every call carries a fresh access token.

export interface Task {
  id: string;
  title: string;
  done: boolean;
}

export class TasksClient {
  constructor(
    private readonly baseUrl: string,
    private readonly accessToken: () => Promise<string>,
  ) {}

  async list(): Promise<Task[]> {
    return ((await this.call('GET', '/api/tasks')) as { tasks: Task[] }).tasks;
  }

  add(title: string): Promise<unknown> {
    return this.call('POST', '/api/tasks', { title });
  }

  complete(id: string, done: boolean): Promise<unknown> {
    return this.call('PATCH', `/api/tasks/${encodeURIComponent(id)}`, { done });
  }

  remove(id: string): Promise<unknown> {
    return this.call('DELETE', `/api/tasks/${encodeURIComponent(id)}`);
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${await this.accessToken()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${response.headers.get('www-authenticate') ?? ''}`);
    return response.status === 204 ? undefined : response.json();
  }
}
