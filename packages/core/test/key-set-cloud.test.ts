// A key set's `cloud_instance_name` must name the configured cloud where it names one: a key set
// from another cloud (a proxy or DNS override, the wrong `cloud` option) is a failed fetch, so the
// last good keys keep serving and a cold start answers 503 with a hint, never a 401.
import { createFakeEntra, type FakeEntra } from '@entra-verify/testkit';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EntraVerifierOptions } from '../src/index.js';
import { backends, eventRecorder, manualClock, rejection, verifierFactory } from './support/backends.js';
import { rewritingFetch } from './support/key-set-rewrite.js';

const HOUR = 3600_000;
let entra: FakeEntra;
beforeEach(async () => {
  entra = await createFakeEntra();
});

describe.each(backends)('cloud_instance_name of key sets (%s)', (_name, backend) => {
  const create = verifierFactory(backend);
  const options = (extra: Partial<EntraVerifierOptions> = {}): EntraVerifierOptions => ({ tenant: entra.tenantId, clientId: entra.api.appId, fetch: entra.fetch, ...extra });

  it('accepts the public cloud\'s key set, which names microsoftonline.com on every key', async () => {
    const published = (await (await entra.fetch(entra.jwksUri())).json()) as { keys: Array<{ cloud_instance_name?: string }> };
    expect(published.keys.every((key) => key.cloud_instance_name === 'microsoftonline.com')).toBe(true);
    expect((await create(options()).verify(await entra.mint())).tenantId).toBe(entra.tenantId);
  });

  it('refuses another cloud\'s key set on a cold start with keys_unavailable and a hint', async () => {
    const elsewhere = await createFakeEntra({ cloudInstanceName: 'microsoftonline.us' });
    const recorder = eventRecorder();
    const verifier = create({ tenant: elsewhere.tenantId, clientId: elsewhere.api.appId, fetch: elsewhere.fetch, onEvent: recorder.onEvent });
    const error = await rejection(verifier.verify(await elsewhere.mint()));
    expect(error.code).toBe('keys_unavailable');
    expect(error.status).toBe(503);
    expect(error.hint).toContain('cloud instance "microsoftonline.us", not "microsoftonline.com"');
    expect(error.hint).toContain('check the cloud option');
    expect(recorder.events).toContainEqual(expect.objectContaining({ type: 'key_set_fetch_failed', reason: 'cold', status: 200, servingStale: false }));
  });

  it.each([
    ['on every key', (document: { keys: Array<Record<string, unknown>> }) => ({ keys: document.keys.map((key) => ({ ...key, cloud_instance_name: 'partner.microsoftonline.cn' })) })],
    ['on one key', (document: { keys: Array<Record<string, unknown>> }) => ({ keys: [...document.keys, { ...document.keys[0]!, kid: 'foreign', cloud_instance_name: 'partner.microsoftonline.cn' }] })],
    ['on the document', (document: { keys: Array<Record<string, unknown>> }) => ({ ...document, cloud_instance_name: 'partner.microsoftonline.cn' })],
  ])('keeps serving the last good keys when a refresh names another cloud %s, and reports it', async (_where, foreign) => {
    let switched = false;
    const clock = manualClock();
    const recorder = eventRecorder();
    const verifier = create(options({ now: clock.now, onEvent: recorder.onEvent, fetch: rewritingFetch(entra, (document) => (switched ? foreign(document) : document)) }));
    await verifier.warm();
    switched = true;
    clock.advance(14 * HOUR);
    const token = await entra.mint({ issuedAt: Math.floor(clock.now() / 1000) });
    await verifier.verify(token); // starts the refresh
    await recorder.waitFor((e) => e.type === 'key_set_fetch_failed');
    expect(recorder.events).toContainEqual(
      expect.objectContaining({ type: 'key_set_fetch_failed', reason: 'refresh', servingStale: true, message: expect.stringContaining('"partner.microsoftonline.cn"') }),
    );
    expect((await verifier.verify(token)).tenantId).toBe(entra.tenantId);
    expect((await rejection(verifier.verify(await entra.mint({ header: { kid: 'foreign' } })))).code).toBe('signing_key_not_found');
  });

  it('compares instance names without regard to ASCII case', async () => {
    const fetch = rewritingFetch(entra, (document) => ({ keys: document.keys.map((key) => ({ ...key, cloud_instance_name: 'MicrosoftOnline.COM' })) }));
    expect((await create(options({ fetch })).verify(await entra.mint())).tenantId).toBe(entra.tenantId);
  });

  it('accepts a key set without cloud_instance_name (the v1 endpoint and older captures have none)', async () => {
    const fetch = rewritingFetch(entra, (document) => ({ keys: document.keys.map(({ cloud_instance_name: _dropped, ...key }) => key) }));
    expect((await create(options({ fetch })).verify(await entra.mint())).tenantId).toBe(entra.tenantId);
  });

  it('does not check a custom authority host, whose instance name it cannot know', async () => {
    const custom = await createFakeEntra({ authorityHost: 'https://login.contoso.test', cloudInstanceName: 'contoso.test' });
    const verifier = create({ tenant: custom.tenantId, clientId: custom.api.appId, fetch: custom.fetch, cloud: { authorityHost: 'https://login.contoso.test' } });
    expect((await verifier.verify(await custom.mint())).tenantId).toBe(custom.tenantId);
  });

  it('does not check in discovery mode', async () => {
    const ciam = await createFakeEntra({ authorityHost: 'https://contoso.ciamlogin.com', cloudInstanceName: 'ciamlogin.com' });
    const verifier = create({ tenant: ciam.tenantId, clientId: ciam.api.appId, fetch: ciam.fetch, authority: `https://contoso.ciamlogin.com/${ciam.tenantId}/v2.0` });
    expect((await verifier.verify(await ciam.mint())).tenantId).toBe(ciam.tenantId);
  });
});
