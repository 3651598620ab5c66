// Every regular expression in the code that meets requests, in every package that serves them,
// has been read by a person for one question: can untrusted input make it backtrack? A quadratic
// regex on an unsigned `aud` once cost a request 1,000 valid verifications. A new or changed
// expression fails this test until it is added below with the reason it is linear.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Source folders whose code runs on requests or on tokens (the testkit and examples are not in the request path of a user's API). */
const AUDITED = ['packages/core/src', 'packages/adapter-express/src', 'packages/adapter-koa/src', 'packages/adapter-hono/src', 'packages/adapter-fastify/src', 'packages/forward-auth/src', 'packages/cli/src'];

/** `file` → expression text → why it cannot backtract on hostile input. */
const REVIEWED: Record<string, Record<string, string>> = {
  'packages/core/src/guid.ts': {
    '/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i': 'fixed counts only: at most 36 characters are ever looked at',
  },
  'packages/core/src/http/http-error.ts': {
    '/[\\u0000-\\u001f\\u007f]/g': 'a single character class, no quantifier: one pass',
    '/[^\\u0000-\\u00ff]/g': 'a single character class, no quantifier: one pass',
    '/[\\\\"]/g': 'a single character class, no quantifier: one pass',
  },
  'packages/core/src/printable.ts': {
    '/[\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069\\ufeff]/g': 'a single character class, no quantifier: one pass',
    '/[\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069\\ufeff]/g': 'a single character class, no quantifier: one pass',
    '/["\\\\]/g': 'a single character class, no quantifier: one pass',
  },
  'packages/core/src/logger.ts': {
    '/[\\s"]/': 'a single character class, no quantifier: one pass (over an escaped, length-capped log value)',
  },
  'packages/core/src/rules/check-certificate-binding.ts': {
    '/^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/': 'fixed counts only, anchored: at most 43 characters are looked at',
  },
  'packages/core/src/http/bearer-token.ts': {
    '/^[A-Za-z0-9\\-._~+/]+=*$/': 'anchored at both ends; the repeated class and the trailing "=" are disjoint, so a failed match backtracks at most once per character',
  },
  'packages/forward-auth/src/original-request.ts': {
    "/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}$/": 'a method token: one class, at most 32 characters',
    '/^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+)(:[0-9]{1,5})?$/': 'a Host: the alternatives start with disjoint characters ("[" or not), ":" is in neither class, port at most 5 digits: one pass',
  },
  'packages/forward-auth/src/routes.ts': {
    '/^[0-9A-Fa-f]{2}$/': 'two characters',
  },
  // forward-auth's configuration and API Management policies come from the operator's files, not
  // from requests; reviewed anyway, since a slow regex there would stall start-up or a reload.
  'packages/forward-auth/src/apim-policy.ts': {
    '/^https:\\/\\/([^/]+)\\/([0-9a-fA-F-]{36})\\/(v2\\.0)?\\/?$/': 'segments split by "/", which no class holds; fixed counts elsewhere',
    '/^https:\\/\\/[^/]+\\/([0-9a-fA-F-]{36})\\//': 'segments split by "/", which no class holds',
    '/^https:\\/\\/([^/]+)\\/([^/]+)(\\/v2\\.0)?\\/\\.well-known\\/openid-configuration(\\?.*)?$/': 'segments split by "/", which no class holds; the query part starts at a literal "?" and runs to the end',
    '/^https:\\/\\//i': 'a literal prefix',
    '/^https:\\/\\/([^/]+)\\/([^/?#]+)\\/?$/i': 'segments split by "/", which no class holds',
    '/^[a-z0-9-]+(\\.[a-z0-9-]+)+$/i': 'labels split by ".", which the class does not hold: one way to match',
  },
  'packages/forward-auth/src/config.ts': {
    "/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/": 'one class under one quantifier, anchored',
    '/[-_]/g': 'a single character class',
    '/^(\\*\\.)?[A-Za-z0-9.-]+$/': 'an optional literal prefix, then one class, anchored',
    '/[?#%\\\\]/': 'a single character class',
    '/^\\/[A-Za-z0-9._~-]+(\\/[A-Za-z0-9._~-]+)*$/': 'segments split by "/", which the class does not hold: one way to match',
    '/^[\\x20-\\x7e]*$/': 'one class under one quantifier, anchored',
  },
  'packages/forward-auth/src/load-config.ts': {
    '/^entra-verify: /': 'a literal prefix',
  },
  'packages/forward-auth/src/named-values.ts': {
    '/\\{\\{([A-Za-z0-9._-]{1,256})\\}\\}/g': 'literal braces around a bounded class that holds no brace',
    '/[^A-Z0-9_]/g': 'a single character class',
  },
  'packages/forward-auth/src/xml-reader.ts': {
    '/^[A-Za-z_][A-Za-z0-9_.:-]*$/': 'one class under one quantifier, anchored',
    '/^#[0-9]{1,7}$/': 'at most 8 characters',
    '/^#x[0-9A-Fa-f]{1,6}$/': 'at most 8 characters',
    '/[\\s/>]/': 'a single character class',
    '/\\s/': 'one character',
    '/[\\s=/>]/': 'a single character class',
  },
  'packages/cli/src/decode-untrusted.ts': {
    '/^[A-Za-z0-9_-]$/': 'one character, no quantifier (called per character)',
  },
};

function* sourceFiles(dir: string): Generator<string> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // a package that does not exist (yet) has nothing to audit
  }
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) yield path;
  }
}

/** Regular expression literals and `RegExp(...)` / `new RegExp(...)` calls, as written. */
function expressionsIn(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) found.push(node.getText(source));
    if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && node.expression.getText(source) === 'RegExp') {
      found.push(`RegExp(${(node.arguments ?? []).map((arg) => arg.getText(source)).join(', ')})`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('regular expressions in the request path', () => {
  const found = AUDITED.flatMap((dir) => [...sourceFiles(join(ROOT, dir))].flatMap((file) => expressionsIn(file).map((expression) => ({ file: relative(ROOT, file), expression }))));

  it('are each reviewed as linear on hostile input', () => {
    const unreviewed = found.filter(({ file, expression }) => REVIEWED[file]?.[expression] === undefined);
    expect(unreviewed, 'review each for backtracking (nested or adjacent overlapping quantifiers, a quantifier before an end anchor on unanchored input) and add it to REVIEWED with the reason; or write a loop').toEqual([]);
    console.log(`regex audit: ${found.length} expressions in ${AUDITED.length} source folders, all reviewed`);
  });

  it('has no stale entries', () => {
    const present = new Set(found.map(({ file, expression }) => `${file} ${expression}`));
    const stale = Object.entries(REVIEWED).flatMap(([file, entries]) => Object.keys(entries).filter((expression) => !present.has(`${file} ${expression}`)).map((expression) => `${file} ${expression}`));
    expect(stale).toEqual([]);
  });
});
