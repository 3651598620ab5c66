// Issue #18, item 5: mistakes that could never work are refused at start-up, with the fix.
import { describe, expect, it } from 'vitest';
import { createEntraVerifier, requirementFrom } from '../src/index.js';

const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const clientId = '6e74172b-be56-4843-9ff4-e66a39bb12e3';

describe('mistakes caught at start-up', () => {
  it('a full scope URI can never match scp: requireScopes() says to write the short name', () => {
    expect(() => requirementFrom('scopes', ['api://6e74172b-be56-4843-9ff4-e66a39bb12e3/Tasks.Read'])).toThrow(/write "Tasks\.Read", not "api:\/\/6e74172b-be56-4843-9ff4-e66a39bb12e3\/Tasks\.Read"/);
  });

  it('a space-separated scope string can never match: it says to split it', () => {
    expect(() => requirementFrom('scopes', ['Tasks.Read Tasks.Write'])).toThrow(/one scope per argument; split "Tasks\.Read Tasks\.Write" into "Tasks\.Read", "Tasks\.Write"/);
  });

  it('a non-ASCII scope name is refused (it would be sent in the challenge header)', () => {
    expect(() => requirementFrom('scopes', ['Tâches.Read'])).toThrow(/printable ASCII only/);
  });

  it('tokenVersion given as a string is quoted in the message', () => {
    expect(() => createEntraVerifier({ tenant, clientId, tokenVersion: '2' as unknown as 2, logger: false })).toThrow(/tokenVersion must be 1, 2 or "any", got "2"/);
  });

  it('tokenVersion beside authority is refused (the metadata fixes the version)', () => {
    expect(() => createEntraVerifier({ tenant, clientId, authority: 'https://contoso.ciamlogin.com/contoso.onmicrosoft.com/v2.0', tokenVersion: 2, logger: false })).toThrow(/tokenVersion cannot be combined with authority/);
  });
});
