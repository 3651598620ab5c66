import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForwardAuthConfigError, loadConfig, main } from '../src/index.js';
import { fakeEntra, tempFile, type Fixture } from './support.js';

const problemsOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ForwardAuthConfigError);
  return (error as ForwardAuthConfigError).problems;
};

describe('configuration files', () => {
  const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';

  it('reads YAML and JSON, with named values from the environment', async () => {
    const yaml = tempFile('a.yaml', 'verifier:\n  tenant: "{{TENANT_ID}}"\n  clientId: "{{api-client-id}}"\nproxy: nginx\n');
    const settings = await loadConfig(yaml, { env: { TENANT_ID: tenant, API_CLIENT_ID: '6e74172b-be56-4843-9ff4-e66a39bb12e3' } });
    expect(settings.verifier).toEqual({ tenant, clientId: '6e74172b-be56-4843-9ff4-e66a39bb12e3' });
    expect(settings.proxy).toBe('nginx');
    expect(settings.identityHeaders.map(([, name]) => name)).toEqual(['X-Entra-Object-Id', 'X-Entra-Tenant-Id', 'X-Entra-Client-App-Id', 'X-Entra-Scopes', 'X-Entra-Roles', 'X-Entra-Authority']);
    const json = tempFile('a.json', JSON.stringify({ verifier: { tenant, audience: ['api://orders'] }, identityHeaders: { objectId: 'X-User-Id', authority: false } }));
    expect((await loadConfig(json, { env: {} })).identityHeaders.map(([, name]) => name)).toEqual(['X-User-Id', 'X-Entra-Tenant-Id', 'X-Entra-Client-App-Id', 'X-Entra-Scopes', 'X-Entra-Roles']);
  });

  it('reports every mistake at once, each with its path', async () => {
    const file = tempFile(
      'bad.yaml',
      [
        'verifier:',
        '  tenant: contoso.onmicrosoft.com',
        '  audiences: [api://orders]',
        'proxy: haproxy',
        'routes:',
        '  - pathPrefix: orders',
        '    methods: [GET, "BAD METHOD"]',
        '    require: { scopes: ["api://orders/Orders.Read"], match: some }',
        '  - pathPrefix: /public',
        '    public: true',
        '    require: {}',
        '  - host: https://api.example.com',
        'failure: { status: 500 }',
        'identityHeaders: { objectId: "X Bad" }',
      ].join('\n'),
    );
    expect(await problemsOf(loadConfig(file, { env: {} }))).toEqual([
      'verifier.audiences: unknown key (did you mean "audience"?); allowed here: tenant, audience, clientId, allowedTenants, tokenVersion, cloud, authority, appId, allowedClientApps, clockToleranceSeconds, requireScopeOrRole, maxTokenBytes, algorithms, jwks, resultCache, offload',
      'proxy: must be one of auto, nginx, ingress-nginx, caddy, traefik, envoy',
      'identityHeaders.objectId: must be a header name (letters, digits, "-") or false',
      'failure.status: must be a 4xx status (a 503 for unavailable keys is kept)',
      'routes[0].pathPrefix: must start with "/"',
      'routes[0].methods: "BAD METHOD" is not an HTTP method',
      'routes[0].require.scopes: write the short scope name as tokens carry it in scp ("Orders.Read"), not "api://orders/Orders.Read"',
      'routes[0].require.match: must be "all" or "any"',
      'routes[1]: has both public and require: a public route needs no token, so it cannot have a requirement',
      'routes[2].host: must be a host name such as "api.example.com" or "*.example.com" (no scheme, no port)',
      'routes[2]: needs "public: true" or "require: { … }" ({} for "a valid token")',
    ]);
  });

  it('passes verifier options through core\'s own checks', async () => {
    const file = tempFile('c.yaml', 'verifier:\n  tenant: contoso.onmicrosoft.com\n  clientId: x\n');
    const [problem] = await problemsOf(loadConfig(file, { env: {} }));
    expect(problem).toContain('verifier: tenant must be a tenant GUID');
    // offload: a verifier option too, checked by core.
    const offloaded = tempFile('c2.yaml', `verifier:\n  tenant: ${tenant}\n  clientId: ${tenant}\n  offload: threads\n`);
    expect((await problemsOf(loadConfig(offloaded, { env: {} })))[0]).toContain("offload must be 'off' or 'auto'");
    const auto = tempFile('c3.yaml', `verifier:\n  tenant: ${tenant}\n  clientId: ${tenant}\n  offload: auto\nroutes: [{ pathPrefix: /, require: {} }]\n`);
    expect((await loadConfig(auto, { env: {} })).verifier).toMatchObject({ offload: 'auto' });
  });

  it('names unset named values and malformed files', async () => {
    expect(await problemsOf(loadConfig(tempFile('d.yaml', 'verifier:\n  tenant: "{{aad-tenant-id}}"\n'), { env: {} }))).toEqual([
      'verifier.tenant: named value {{aad-tenant-id}} is not set; set the environment variable aad-tenant-id or AAD_TENANT_ID',
    ]);
    expect((await problemsOf(loadConfig(tempFile('e.yaml', 'a: 1\na: 2\n'), { env: {} })))[0]).toMatch(/^not valid YAML: Map keys must be unique at line 2/);
    expect((await problemsOf(loadConfig('/nonexistent/forward-auth.yaml', { env: {} })))[0]).toBe('cannot read the file (ENOENT)');
  });

  it('checks a configuration from the command line (--check)', async () => {
    const out: string[] = [];
    const io = { env: {}, stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t), onSignal: () => {} };
    expect(await main(['--check', '--config', tempFile('f.yaml', `verifier: { tenant: ${tenant}, clientId: ${tenant} }\nroutes: [{ pathPrefix: /a, public: true }]\n`)], io)).toBe(0);
    expect(out.at(-1)).toMatch(/f\.yaml: valid \(1 route, tenant 72f988bf-86f1-41af-91ab-2d7cd011db47, proxy auto\)$/);
    expect(await main(['--check', '--config', tempFile('g.yaml', 'verifier: {}\n')], io)).toBe(1);
    expect(out.at(-1)).toContain('verifier.tenant: is required');
    expect(await main(['--bogus'], io)).toBe(2);
  });
});

describe('API Management policy documents', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await fakeEntra();
  });
  afterAll(() => fixture.close());

  it('maps validate-azure-ad-token: tenant, audiences, backend and client application ids, required claims, failure', async () => {
    const { entra } = fixture;
    const policy = tempFile(
      'policy.xml',
      `<validate-azure-ad-token tenant-id="{{aad-tenant-id}}" failed-validation-httpcode="403" failed-validation-error-message="Nope &amp; no">
        <client-application-ids><application-id>${entra.clientApp.clientId}</application-id></client-application-ids>
        <backend-application-ids><application-id>${entra.api.appId}</application-id></backend-application-ids>
        <audiences><audience>api://orders</audience></audiences>
        <required-claims>
          <claim name="groups" match="any" separator=","><value>finance</value><value>logistics</value></claim>
        </required-claims>
      </validate-azure-ad-token>`,
    );
    const settings = await loadConfig(policy, { env: { AAD_TENANT_ID: entra.tenantId }, fetch: fixture.server.fetch });
    expect(settings.verifier).toEqual({ tenant: entra.tenantId, cloud: 'public', allowedClientApps: [entra.clientApp.clientId], audience: [entra.api.appId, `api://${entra.api.appId}`, 'api://orders'] });
    expect(settings.failure).toEqual({ status: 403, message: 'Nope & no' });
    expect(settings.policyRequiredClaims).toEqual([{ name: 'groups', values: ['finance', 'logistics'], match: 'any', separator: ',' }]);
  });

  it('resolves a tenant domain name through the tenant\'s metadata, as API Management does', async () => {
    const { entra } = fixture;
    const withDomain = await (await import('@entra-verify/testkit')).createFakeEntra({ tenants: [{ id: entra.tenantId, domain: 'contoso.onmicrosoft.com' }] });
    const server = await withDomain.listen();
    try {
      const policy = tempFile('p.xml', '<validate-azure-ad-token tenant-id="contoso.onmicrosoft.com"><client-application-ids><application-id>a</application-id></client-application-ids><audiences><audience>api://x</audience></audiences></validate-azure-ad-token>');
      expect((await loadConfig(policy, { env: {}, fetch: server.fetch })).verifier.tenant).toBe(entra.tenantId);
    } finally {
      await server.close();
    }
  });

  it('names precisely what it cannot honour', async () => {
    // The second example of the validate-azure-ad-token reference, as written.
    const documented = tempFile(
      'q.xml',
      `<validate-azure-ad-token tenant-id="{{aad-tenant-id}}" output-token-variable-name="jwt">
    <client-application-ids>
        <application-id>{{aad-client-application-id}}</application-id>
    </client-application-ids>
    <audiences>
        <audience>@(context.Request.OriginalUrl.Host)</audience>
    </audiences>
    <required-claims>
        <claim name="ctry" match="any">
            <value>US</value>
        </claim>
    </required-claims>
</validate-azure-ad-token>`,
    );
    const problems = await problemsOf(loadConfig(documented, { env: { AAD_TENANT_ID: fixture.entra.tenantId, AAD_CLIENT_APPLICATION_ID: 'c' } }));
    expect(problems).toEqual([
      expect.stringContaining('<validate-azure-ad-token> (line 1): output-token-variable-name feeds later API Management policies'),
      expect.stringContaining('<audience> (line 6): policy expressions (@(context.Request.OriginalUrl.Host)) run only inside API Management'),
    ]);
    const unsupported = tempFile(
      'r.xml',
      `<policies><inbound><base/><rate-limit calls="5" renewal-period="60"/>
        <validate-jwt header-name="Authorization" require-expiration-time="false" token-value="@(x)">
          <openid-config url="https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration"/>
          <issuer-signing-keys><key>abc</key></issuer-signing-keys>
          <audiences><audience>api://x</audience></audiences>
        </validate-jwt></inbound><outbound><set-header name="x" exists-action="override"><value>y</value></set-header></outbound></policies>`,
    );
    const more = await problemsOf(loadConfig(unsupported, { env: {} }));
    expect(more).toEqual([
      expect.stringContaining('<rate-limit> (line 1) in <inbound>: forward-auth only answers whether a request may pass'),
      expect.stringContaining('<set-header> (line 6) in <outbound>'),
      expect.stringContaining('token-value is a policy expression'),
      expect.stringContaining('require-expiration-time="false" cannot be honoured'),
      expect.stringContaining('the multi-tenant "organizations" metadata needs an allow-list of tenants'),
      expect.stringContaining('<issuer-signing-keys> (line 4): signing keys in the policy cannot be honoured'),
      expect.stringContaining('<openid-config url="https://login.microsoftonline.com/<tenant>/v2.0/.well-known/openid-configuration"/> is required'),
    ]);
    expect(more.every((problem) => problem.startsWith('apimPolicy '))).toBe(true);
  });

  it('refuses a DOCTYPE, and reports malformed XML with its line', async () => {
    const [doctype] = await problemsOf(loadConfig(tempFile('s.xml', '<!DOCTYPE x [<!ENTITY a "b">]><validate-jwt/>'), { env: {} }));
    expect(doctype).toContain('line 1, column 1: DOCTYPE and entity declarations are not accepted');
    const [broken] = await problemsOf(loadConfig(tempFile('t.xml', '<validate-jwt>\n  <audiences>\n</validate-jwt>'), { env: {} }));
    expect(broken).toContain('line 3, column 1: </validate-jwt> closes <audiences> (line 2)');
  });

  it('asks for an audience when the policy has none, unless the configuration file gives one', async () => {
    const { entra } = fixture;
    const minimal = tempFile('minimal.xml', '<validate-azure-ad-token tenant-id="{{aad-tenant-id}}">\n<client-application-ids><application-id>{{aad-client-application-id}}</application-id></client-application-ids>\n</validate-azure-ad-token>');
    const env = { AAD_TENANT_ID: entra.tenantId, AAD_CLIENT_APPLICATION_ID: entra.clientApp.clientId };
    expect((await problemsOf(loadConfig(minimal, { env })))[0]).toContain('no <audiences> or <backend-application-ids>: forward-auth checks every token\'s aud');
    const outer = tempFile('outer.yaml', `apimPolicy: ${minimal}\nverifier: { clientId: ${entra.api.appId} }\n`);
    const settings = await loadConfig(outer, { env });
    expect(settings.verifier).toEqual({ tenant: entra.tenantId, cloud: 'public', allowedClientApps: [entra.clientApp.clientId], clientId: entra.api.appId });
    expect(settings.failure).toEqual({ status: 401 });
  });
});
