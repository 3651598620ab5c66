// examples/worker-api end to end on workerd: bundled the way wrangler bundles it (installed packages,
// workerd/worker/browser conditions, no nodejs_compat), served by workerd, called over HTTP with
// tokens from the testkit. The Worker's outbound fetches go to the fake Entra's loopback server, so
// it fetches https://login.microsoftonline.com/… keys with its production configuration.
import { createFakeEntra } from '@entra-verify/testkit';
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startWorkerd, tail } from './launch.mjs';

/** Bundles the example, serves the fake Entra on loopback and the Worker on workerd. */
export async function startWorkerApi({ root, runtime, outDir, entra }) {
  const bundle = join(outDir, 'worker-api.mjs');
  await build({
    entryPoints: [join(root, 'examples/worker-api/src/worker.ts')],
    outfile: bundle,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    logLevel: 'warning',
  });
  const server = await entra.listen();
  const port = await freePort();
  const config = join(outDir, 'worker-api.capnp');
  writeFileSync(config, workerdConfig({ port, entraAddress: new URL(server.url).host, tenantId: entra.tenantId, clientId: entra.api.appId }));
  let worker;
  try {
    worker = await startWorkerd(runtime.binary, config, port);
  } catch (error) {
    await server.close();
    throw error;
  }
  const close = async () => {
    worker.stop();
    await server.close();
  };
  return { url: worker.url, logs: worker.logs, close };
}

/** The checks `npm run test:runtimes` reports for the example. */
export async function runWorkerExample(root, runtime, outDir) {
  const entra = await createFakeEntra({ apis: [{ scopes: ['Reports.Read', 'Profile.Read'] }] });
  const checks = [];
  const check = (name, ok, detail) => checks.push({ name, ok: Boolean(ok), detail });
  let worker;
  try {
    worker = await startWorkerApi({ root, runtime, outDir, entra });
    const call = (path, token) => fetch(`${worker.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    const me = await call('/api/me', await entra.mint({ scopes: ['Profile.Read'] }));
    const meBody = await me.json();
    check("a valid token reaches /api/me (200, the caller's oid)", me.status === 200 && meBody.objectId === entra.user.objectId, `${me.status} ${JSON.stringify(meBody)}`);
    const refused = await call('/api/reports', await entra.mint({ scopes: ['Profile.Read'] }));
    check('a token without Reports.Read gets 403 insufficient_scope', refused.status === 403 && refused.headers.get('www-authenticate')?.includes('error="insufficient_scope"'), `${refused.status} ${refused.headers.get('www-authenticate')}`);
    const reports = await call('/api/reports', await entra.mint({ scopes: ['Reports.Read'] }));
    check('a token with Reports.Read gets the reports (200)', reports.status === 200, String(reports.status));
    const anonymous = await call('/api/me');
    check('no token gets 401 with a Bearer challenge', anonymous.status === 401 && anonymous.headers.get('www-authenticate') === 'Bearer realm="worker-api"', `${anonymous.status} ${anonymous.headers.get('www-authenticate')}`);
    const forged = await call('/api/me', (await entra.attackTokens()).find((attack) => attack.expectedCode === 'invalid_signature').token);
    check('a token with a forged signature gets 401 invalid_token', forged.status === 401 && forged.headers.get('www-authenticate')?.includes('error="invalid_token"'), `${forged.status} ${forged.headers.get('www-authenticate')}`);
    check("the key set was fetched once, over the Worker's own outbound fetch", entra.requests.count('keys') === 1, `${entra.requests.count('keys')} key-set requests`);
  } catch (error) {
    check('the Worker answered', false, `${error.message}${worker ? `\n${tail(worker.logs())}` : ''}`);
  } finally {
    await worker?.close();
  }
  return checks;
}

function workerdConfig({ port, entraAddress, tenantId, clientId }) {
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "api", worker = .api),
    (name = "entra", external = (address = "${entraAddress}", http = ())),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "api")],
);
const api :Workerd.Worker = (
  modules = [(name = "worker.mjs", esModule = embed "worker-api.mjs")],
  compatibilityDate = "2026-11-01",
  bindings = [(name = "TENANT_ID", text = "${tenantId}"), (name = "CLIENT_ID", text = "${clientId}")],
  globalOutbound = "entra",
);
`;
}
