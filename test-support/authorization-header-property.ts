// The adapters' shared property: whatever Authorization header arrives, the answer is 200, 400 or
// 401, never a 500. Values are printable ASCII, the only kind an HTTP header can carry; a third of
// them are a valid token cut short and followed by junk.
import fc from 'fast-check';

export const HEADER_RUNS = 300;
const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 300 });

export function authorizationHeaders(validToken: string): fc.Arbitrary<string> {
  return fc.oneof(
    printable,
    printable.map((s) => `Bearer ${s}`),
    fc.tuple(fc.nat(), printable).map(([at, s]) => `Bearer ${validToken.slice(0, at % validToken.length)}${s}`),
  );
}

/**
 * Sends `runs` random headers through `send` (which returns the status) and returns the statuses
 * seen. Fails on the first status other than 200, 400 or 401, with fast-check's shrunk example.
 */
export async function assertNoServerErrors(label: string, validToken: string, send: (authorization: string) => Promise<number>, runs = HEADER_RUNS): Promise<Set<number>> {
  const statuses = new Set<number>();
  await fc.assert(
    fc.asyncProperty(authorizationHeaders(validToken), async (value) => {
      const status = await send(value);
      statuses.add(status);
      return [200, 400, 401].includes(status);
    }),
    { numRuns: runs },
  );
  console.log(`property: ${runs} Authorization headers on ${label} answered with ${[...statuses].sort().join(', ')}`);
  return statuses;
}
