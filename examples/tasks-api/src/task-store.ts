// Tasks kept per user, keyed by the token's `oid`: one user can never name another user's task,
// because lookups only ever search the caller's own map.
import { BadRequest } from './json-body.js';

export interface Task {
  id: string;
  title: string;
  done: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface TaskPatch {
  title?: string;
  done?: boolean;
}

function checkTitle(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 200) throw new BadRequest(400, '"title" must be a string of 1 to 200 characters.');
  return value.trim();
}

export function parseNewTask(body: Record<string, unknown>): string {
  const unknown = Object.keys(body).filter((key) => key !== 'title');
  if (unknown.length) throw new BadRequest(400, `Unknown field(s): ${unknown.join(', ')}.`);
  return checkTitle(body.title);
}

export function parsePatch(body: Record<string, unknown>): TaskPatch {
  const unknown = Object.keys(body).filter((key) => key !== 'title' && key !== 'done');
  if (unknown.length) throw new BadRequest(400, `Unknown field(s): ${unknown.join(', ')}.`);
  if (body.title === undefined && body.done === undefined) throw new BadRequest(400, 'Send "title" and/or "done".');
  if (body.done !== undefined && typeof body.done !== 'boolean') throw new BadRequest(400, '"done" must be true or false.');
  return { ...(body.title !== undefined ? { title: checkTitle(body.title) } : {}), ...(body.done !== undefined ? { done: body.done as boolean } : {}) };
}

export class TaskStore {
  private readonly byOwner = new Map<string, Map<string, Task>>();

  private tasksOf(owner: string): Map<string, Task> {
    let tasks = this.byOwner.get(owner);
    if (!tasks) {
      tasks = new Map();
      this.byOwner.set(owner, tasks);
    }
    return tasks;
  }

  list(owner: string): Task[] {
    return [...this.tasksOf(owner).values()];
  }

  get(owner: string, id: string): Task | undefined {
    return this.tasksOf(owner).get(id);
  }

  create(owner: string, title: string): Task {
    const now = new Date().toISOString();
    const task: Task = { id: crypto.randomUUID(), title, done: false, createdAt: now, updatedAt: now };
    this.tasksOf(owner).set(task.id, task);
    return task;
  }

  update(owner: string, id: string, patch: TaskPatch): Task | undefined {
    const task = this.get(owner, id);
    if (!task) return undefined;
    Object.assign(task, patch, { updatedAt: new Date().toISOString() });
    return task;
  }

  delete(owner: string, id: string): boolean {
    return this.tasksOf(owner).delete(id);
  }
}
