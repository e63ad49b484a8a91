import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const srcDir = join(dirname(fileURLToPath(import.meta.url)), '../src');

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });

/** The files a source imports by a relative path, `import type` included: a type circle is a circle too. */
const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)].map((match) => {
    const target = join(dirname(file), match[1]!).replace(/\.js$/, '.ts');
    return target.endsWith('.ts') ? target : join(target, 'index.ts');
  });

const cyclesOf = (graph: Map<string, string[]>): string[][] => {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const visit = (file: string, path: string[]) => {
    for (const next of graph.get(file) ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) cycles.push([...path.slice(at), next]);
      else if (!done.has(next)) visit(next, [...path, next]);
    }
    done.add(file);
  };
  for (const file of graph.keys()) if (!done.has(file)) visit(file, [file]);
  return cycles;
};

describe("core's modules", () => {
  it('import one another without a circle, types included', () => {
    const graph = new Map(sourceFiles(srcDir).map((file) => [file, importsOf(file)]));
    const cycles = cyclesOf(graph).map((cycle) => cycle.map((file) => relative(srcDir, file)).join(' → '));
    expect(cycles).toEqual([]);
  });
});
