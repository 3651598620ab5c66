// core/src is grouped by layer (STYLE.md, "Layout as core grows"): the shared bottom (options,
// events, errors, clouds, printable), then token/, keys/, rules/, verifier/, http/. Every import
// points down or stays in its layer.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const LAYERS: Record<string, number> = { '': 0, token: 1, keys: 2, rules: 3, verifier: 4, http: 5 };

const rank = (file: string) => {
  const path = relative(SRC, file);
  if (path === 'index.ts') return Number.POSITIVE_INFINITY;
  return LAYERS[path.includes('/') ? path.split('/')[0]! : '']!;
};
const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));

it('every import in core/src points down a layer or stays in its own', () => {
  const upward: string[] = [];
  for (const file of walk(SRC)) {
    expect(rank(file), relative(SRC, file)).toBeDefined();
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
      const target = resolve(dirname(file), spec!.replace(/\.js$/, '.ts'));
      if (rank(target) > rank(file)) upward.push(`${relative(SRC, file)} -> ${relative(SRC, target)}`);
    }
  }
  expect(upward).toEqual([]);
});
