import { createFakeEntra } from '@entra-verify/testkit';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { fakeEntra, startService, tempFile, verifierFor, type Fixture, type Service } from './support.js';

const verify = (url: string, token: string | undefined, uri = '/orders', method = 'GET') =>
  fetch(`${url}/verify`, { headers: { 'x-forwarded-method': method, 'x-forwarded-uri': uri, 'x-forwarded-host': 'api.example.com', ...(token ? { authorization: `Bearer ${token}` } : {}) } });

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('the service', () => {
  let fixture: Fixture;
  let service: Service;
  beforeAll(async () => {
    fixture = await fakeEntra();
    service = await startService(fixture, {
      verifier: verifierFor(fixture.entra),
      routes: [{ pathPrefix: '/finance', require: { requiredClaims: [{ name: 'groups', values: ['finance', 'audit'], match: 'any' }] } }],
    });
  });
  afterAll(async () => {
    await service.close();
    await fixture.close();
  });

  it('is live at once, ready once the keys are loaded, and exports Prometheus metrics', async () => {
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    await until(async () => (await fetch(`${service.url}/readyz`)).status === 200, 'readiness');
    const token = await fixture.entra.mint();
    for (let i = 0; i < 3; i++) expect((await verify(service.url, token)).status).toBe(200);
    expect((await verify(service.url, await fixture.entra.mint({ audience: 'api://other' }))).status).toBe(401);
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toContain('entra_forward_auth_requests_total{outcome="allowed",code="ok",status="200"} 3');
    expect(metrics).toContain('entra_forward_auth_requests_total{outcome="refused",code="audience_mismatch",status="401"} 1');
    expect(metrics).toContain('entra_forward_auth_key_set_fetches_total{result="ok",reason="cold"} 1');
    expect(metrics).toMatch(/entra_forward_auth_verification_seconds_count 4\n/);
    // A token is admitted to core's result cache at its second verification, so the third hits.
    expect(metrics).toContain('entra_forward_auth_result_cache_hits_total 1\n');
    expect(metrics).toContain('entra_forward_auth_result_cache_lookups_total 3\n');
    expect(metrics).toContain('entra_forward_auth_ready 1');
  });

  it('logs each refusal with its code and hint, and never the token', async () => {
    const token = await fixture.entra.mint({ audience: 'api://another-api' });
    await verify(service.url, token, '/orders/42');
    const line = service.logs.at(-1)!;
    expect(JSON.parse(line)).toMatchObject({ level: 'info', msg: 'refused', code: 'audience_mismatch', status: 401, method: 'GET', path: '/orders/42' });
    expect(JSON.parse(line).hint).toContain('api://another-api');
    expect(service.logs.join('\n')).not.toContain(token.split('.')[1]!);
  });

  it('checks a route\'s required claims with API Management\'s match and separator', async () => {
    const { entra } = fixture;
    expect((await verify(service.url, await entra.mint({ claims: { groups: ['audit'] } }), '/finance/q1')).status).toBe(200);
    const refused = await verify(service.url, await entra.mint({ claims: { groups: ['sales'] } }), '/finance/q1');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", error_description="The token lacks a claim this operation requires."');
    expect(JSON.parse(service.logs.at(-1)!).hint).toBe('Required claim "groups" must hold any of "finance", "audit"; the token\'s 1 value do not include any of them. Optional claims are configured on the API\'s app registration (Token configuration); group and role claims need assignments.');
  });

  it('answers with the policy\'s status and message, and its required claims as part of validation', async () => {
    const { entra } = fixture;
    const policy = tempFile('policy.xml', `<validate-azure-ad-token tenant-id="${entra.tenantId}" failed-validation-error-message="Unauthorized. Access token is missing or invalid.">
  <client-application-ids><application-id>${entra.clientApp.clientId}</application-id></client-application-ids>
  <audiences><audience>${entra.api.appId}</audience></audiences>
  <required-claims><claim name="roles_csv" separator=","><value>a</value><value>b</value></claim></required-claims>
</validate-azure-ad-token>`);
    const apim = await startService(fixture, { apimPolicy: policy });
    try {
      expect((await verify(apim.url, await entra.mint({ claims: { roles_csv: 'b,c,a' } }))).status).toBe(200);
      for (const token of [await entra.mint({ claims: { roles_csv: 'a,c' } }), undefined, 'not-a-jwt']) {
        const refused = await verify(apim.url, token);
        expect(refused.status).toBe(401);
        expect((await refused.json()).error_description).toBe('Unauthorized. Access token is missing or invalid.');
      }
    } finally {
      await apim.close();
    }
  });

  it('reloads a new configuration without dropping a request, and keeps the running one when the new file is wrong', async () => {
    const { entra } = fixture;
    const config = (scope: string) => stringify({ verifier: verifierFor(entra), defaultRoute: { require: { scopes: [scope] } } });
    const reloading = await startService(fixture, { verifier: verifierFor(entra), defaultRoute: { require: { scopes: ['Orders.Read'] } } });
    try {
      const token = await entra.mint({ scopes: ['Orders.Read', 'Orders.Write'] });
      let stop = false;
      const statuses: number[] = [];
      const load = Array.from({ length: 8 }, async () => {
        while (!stop) statuses.push((await verify(reloading.url, token)).status);
      });
      for (const scope of ['Orders.Write', 'Orders.Read', 'Orders.Write']) {
        writeFileSync(reloading.file, config(scope));
        expect(await reloading.service.reload()).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
      stop = true;
      await Promise.all(load);
      expect(statuses.length).toBeGreaterThan(50);
      expect(new Set(statuses)).toEqual(new Set([200]));
      expect((await verify(reloading.url, await entra.mint({ scopes: ['Orders.Read'] }))).status).toBe(403);

      writeFileSync(reloading.file, 'verifier: { tenant: nope }\n');
      expect(await reloading.service.reload()).toBe(false);
      expect(JSON.parse(reloading.logs.at(-1)!)).toMatchObject({ level: 'error', problems: [expect.stringContaining('verifier: tenant must be a tenant GUID')] });
      expect((await verify(reloading.url, token)).status).toBe(200);
      expect(await (await fetch(`${reloading.url}/metrics`)).text()).toContain('entra_forward_auth_config_reloads_total{result="rejected"} 1');
    } finally {
      await reloading.close();
    }
  });

  it('finishes the requests in flight on shutdown, then stops accepting', async () => {
    const { entra } = fixture;
    entra.faults.set('keys', { delayMs: 300 });
    const draining = await startService(fixture, { verifier: verifierFor(entra) });
    try {
      const pending = verify(draining.url, await entra.mint());
      await new Promise((resolve) => setTimeout(resolve, 50));
      const stopped = draining.close();
      expect((await pending).status).toBe(200);
      await stopped;
      await expect(fetch(`${draining.url}/healthz`)).rejects.toThrow();
    } finally {
      entra.faults.clear();
    }
  });
});

describe('the command', () => {
  const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

  it('serves, reloads on SIGHUP and drains on SIGTERM', async () => {
    // The command uses the global fetch: the fake serves its own authority host on loopback.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const authorityHost = `http://127.0.0.1:${port}`;
    const entra = await createFakeEntra({ authorityHost, apis: [{ scopes: ['Orders.Read', 'Orders.Write'] }] });
    const server = await entra.listen({ port });
    const config = (scope: string) => stringify({ verifier: { tenant: entra.tenantId, clientId: entra.api.appId, cloud: { authorityHost } }, defaultRoute: { require: { scopes: [scope] } } });
    const file = tempFile('forward-auth.yaml', config('Orders.Read'));
    const child = spawn(process.execPath, [bin, '--config', file, '--port', '0', '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await until(async () => output.includes('"msg":"listening"'), `the command to listen:\n${output}`);
      const url = (JSON.parse(output.split('\n').find((line) => line.includes('"msg":"listening"'))!) as { url: string }).url;
      const readOnly = await entra.mint({ scopes: ['Orders.Read'] });
      expect((await verify(url, readOnly)).status).toBe(200);
      writeFileSync(file, config('Orders.Write'));
      child.kill('SIGHUP');
      await until(async () => (await verify(url, readOnly)).status === 403, 'the reload');
      expect(output).toContain('"msg":"configuration reloaded"');
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toContain('"msg":"stopped"');
      expect(output).not.toContain(readOnly.split('.')[2]!);
    } finally {
      child.kill('SIGKILL');
      await server.close();
    }
  });
});
