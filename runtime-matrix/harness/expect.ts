// `expect` assembled from @vitest/expect the way vitest assembles it, minus snapshots and polling,
// which the portable suites do not use.
import { getCurrentTest } from '@vitest/runner';
import { ASYMMETRIC_MATCHERS_OBJECT, chai, getState, GLOBAL_EXPECT, JestAsymmetricMatchers, JestChaiExpect, JestExtend, setState, type ExpectStatic } from '@vitest/expect';

chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(JestAsymmetricMatchers);

export const expect = ((value: unknown, message?: string) => {
  const assertion = chai.expect(value, message);
  const current = getCurrentTest();
  // Binding the assertion to its test lets the runner wait for `.rejects`/`.resolves` chains.
  return current ? (assertion as unknown as { withTest(test: unknown): unknown }).withTest(current) : assertion;
}) as ExpectStatic;

Object.assign(expect, chai.expect);
Object.assign(expect, (globalThis as Record<symbol, unknown>)[ASYMMETRIC_MATCHERS_OBJECT]);
expect.getState = () => getState(expect);
expect.setState = (state) => setState(state, expect);
expect.setState({ assertionCalls: 0, isExpectingAssertions: false, isExpectingAssertionsError: null, expectedAssertionsNumber: null, expectedAssertionsNumberErrorGen: null });
// Matchers read shared state (custom equality testers, the current test name) from this global.
(globalThis as Record<symbol, unknown>)[GLOBAL_EXPECT] = expect;
