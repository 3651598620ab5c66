// User story 3: GET /api/me from the token's claims; /api/tasks CRUD isolated per user by `oid`;
// CORS for the browser front end. Routing is a small table to keep the example dependency-free.
import { entraAuth, requireScopes, type EntraAuthMiddlewareOptions } from '@entra-verify/koa';
import Koa, { type Context } from 'koa';
import { cors } from './cors.js';
import { BadRequest, readJsonObject } from './json-body.js';
import { parseNewTask, parsePatch, TaskStore } from './task-store.js';

export interface TasksApiOptions {
  auth: EntraAuthMiddlewareOptions;
  corsOrigin?: string;
}

type Handler = (ctx: Context, params: Record<string, string>) => Promise<void> | void;

const notFound = (ctx: Context) => {
  ctx.status = 404;
  ctx.body = { error: 'not_found', error_description: 'No such task.' };
};

export function createTasksApi(options: TasksApiOptions): Koa {
  const store = new TaskStore();
  const owner = (ctx: Context) => ctx.state.auth!.principal.objectId!;
  const routes: Array<[method: string, pattern: RegExp, handler: Handler]> = [
    ['GET', /^\/api\/me$/, (ctx) => {
      const { principal, tenantId, scopes } = ctx.state.auth!;
      ctx.body = { name: principal.name ?? null, username: principal.username ?? null, objectId: principal.objectId, tenantId, scopes };
    }],
    ['GET', /^\/api\/tasks$/, (ctx) => {
      ctx.body = { tasks: store.list(owner(ctx)) };
    }],
    ['POST', /^\/api\/tasks$/, async (ctx) => {
      ctx.status = 201;
      ctx.body = store.create(owner(ctx), parseNewTask(await readJsonObject(ctx)));
    }],
    ['GET', /^\/api\/tasks\/(?<id>[^/]+)$/, (ctx, { id }) => {
      const task = store.get(owner(ctx), id!);
      if (task) ctx.body = task;
      else notFound(ctx);
    }],
    ['PATCH', /^\/api\/tasks\/(?<id>[^/]+)$/, async (ctx, { id }) => {
      const patch = parsePatch(await readJsonObject(ctx));
      const task = store.update(owner(ctx), id!, patch);
      if (task) ctx.body = task;
      else notFound(ctx);
    }],
    ['DELETE', /^\/api\/tasks\/(?<id>[^/]+)$/, (ctx, { id }) => {
      if (store.delete(owner(ctx), id!)) ctx.status = 204;
      else notFound(ctx);
    }],
  ];

  const app = new Koa();
  app.use(cors(options.corsOrigin ?? 'http://localhost:3000'));
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      if (!(error instanceof BadRequest)) throw error;
      ctx.status = error.status;
      ctx.body = { error: 'invalid_request', error_description: error.message };
    }
  });
  app.use(entraAuth({ realm: 'tasks-api', ...options.auth }));
  app.use(requireScopes('Tasks.ReadWrite'));
  app.use(async (ctx) => {
    const matches = routes.filter(([, pattern]) => pattern.test(ctx.path));
    const route = matches.find(([method]) => method === ctx.method);
    if (!route) {
      ctx.status = matches.length ? 405 : 404;
      ctx.body = matches.length ? { error: 'method_not_allowed', error_description: `${ctx.method} is not allowed here.` } : { error: 'not_found', error_description: `No route for ${ctx.path}.` };
      return;
    }
    const params = { ...route[1].exec(ctx.path)?.groups };
    await route[2](ctx, params);
  });
  return app;
}
