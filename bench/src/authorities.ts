// `npm run bench:authorities -w @entra-verify/bench`: what several authorities cost. The same
// distinct workforce tokens are verified by a verifier with one authority and by one with four
// (employees, an Azure AD B2C user flow, an External ID tenant, a US Government tenant), in
// interleaved rounds so drift on a noisy machine hits both alike; the medians are compared.
import './production-env.js';
import { createEntraVerifier, type EntraVerifier } from '@entra-verify/core';
import { createFakeB2C, createFakeEntra } from '@entra-verify/testkit';
import { createFixtures } from './fixtures.js';
import { measure } from './measure.js';

const quick = process.argv.includes('--quick') || process.argv.includes('--smoke');
const ROUNDS = quick ? 4 : 10;
const ROUND_MS = quick ? 400 : 1500;
const TOKENS = quick ? 4000 : 20_000;

const fixtures = await createFixtures(TOKENS);
const [b2c, ciam, gov] = await Promise.all([createFakeB2C(), createFakeEntra({ externalId: { tenantName: 'contoso' } }), createFakeEntra({ cloud: 'usgov' })]);
const byOrigin = new Map<string, typeof fetch>([
  [new URL(fixtures.server.url).origin, globalThis.fetch],
  [new URL(fixtures.entra.authority()).origin, fixtures.server.fetch as typeof fetch],
  [b2c.host, b2c.fetch as typeof fetch],
  [new URL(ciam.authority()).origin, ciam.fetch as typeof fetch],
  [new URL(gov.authority()).origin, gov.fetch as typeof fetch],
]);
const fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  return byOrigin.get(url.origin)!(input, init);
};
const employees = { name: 'employees', tenant: fixtures.entra.tenantId, clientId: fixtures.audience };

function build(resultCache: boolean, four: boolean): EntraVerifier {
  const cache = resultCache ? {} : { resultCache: false as const };
  if (!four) return createEntraVerifier({ tenant: employees.tenant, clientId: employees.clientId, fetch, ...cache });
  return createEntraVerifier({
    authorities: [
      { name: 'customers', tenant: b2c.tenantId, authority: b2c.authority(), audience: b2c.apiAppId },
      { name: 'shoppers', tenant: ciam.tenantId, authority: ciam.authority(), clientId: ciam.api.appId },
      { name: 'agency', tenant: gov.tenantId, cloud: 'usgov', clientId: gov.api.appId },
      employees,
    ],
    fetch,
    ...cache,
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

async function compare(label: string, resultCache: boolean, repeated: boolean) {
  const one = build(resultCache, false);
  const four = build(resultCache, true);
  await Promise.all([one.warm(), four.warm()]);
  // Each round gets fresh tokens from one shared counter for each verifier, so neither sees a token twice.
  let nextOne = 0;
  let nextFour = 0;
  const tokens = fixtures.tokens;
  const run = (verifier: EntraVerifier, take: () => number) => measure(() => verifier.verify(tokens[repeated ? 0 : take() % tokens.length]!), ROUND_MS);
  const samples = { one: [] as number[], four: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which goes first, so warm-up and drift fall on both.
    const order = round % 2 === 0 ? (['one', 'four'] as const) : (['four', 'one'] as const);
    for (const which of order) {
      const m = which === 'one' ? await run(one, () => nextOne++) : await run(four, () => nextFour++);
      samples[which].push(m.opsPerSecond);
    }
  }
  const [a, b] = [median(samples.one), median(samples.four)];
  console.log(`| ${label} | ${fmt(a)} | ${fmt(b)} | ${(b / a).toFixed(3)} |`);
  one.close();
  four.close();
  return b / a;
}

console.log(`Several authorities (${ROUNDS} interleaved rounds of ${ROUND_MS} ms, medians, Node ${process.version})`);
console.log('');
console.log('| workforce tokens | 1 authority ops/s | 4 authorities ops/s | 4 / 1 |');
console.log('|---|---:|---:|---:|');
const ratios = [await compare('distinct tokens, result cache off (full verification)', false, false), await compare('one repeated token (result cache hits)', true, true)];
console.log('');
console.log(ratios.every((r) => r >= 0.9) ? 'Within 10% of one authority.' : 'More than 10% slower than one authority: look before releasing.');
await fixtures.server.close();
