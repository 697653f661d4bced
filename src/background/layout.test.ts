// The worker's folders depend on each other in one direction only: the composition root (this folder)
// on the domains, lifecycle/ on auth/ and credentials/, credentials/ on auth/, everything on platform/.
// Read from the import statements of every module here, tests included.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = dirname(fileURLToPath(import.meta.url));

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return modules(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The folder of a module, relative to src/background ('.' for the root). */
function folderOf(path: string): string {
  return relative(ROOT, dirname(path)) || '.';
}

/** Folder → the other folders of src/background its modules import. */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const path of modules(ROOT)) {
    const from = folderOf(path);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const [, specifier] of readFileSync(path, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)) {
      if (!specifier?.startsWith('.')) continue;
      const target = resolve(dirname(path), specifier);
      if (relative(ROOT, target).startsWith('..')) continue; // outside the worker: shared/, test support
      // A folder's index (`'../credentials'`) or a module.
      const to = folderOf(existsSync(join(target, 'index.ts')) ? join(target, 'index.ts') : `${target}.ts`);
      if (to !== from) edges.add(to);
    }
  }
  return graph;
}

/** A cycle of folders, if any, as the path that closes it. */
function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const done = new Set<string>();
  const visit = (node: string, path: string[]): string[] | undefined => {
    if (path.includes(node)) return [...path.slice(path.indexOf(node)), node];
    if (done.has(node)) return undefined;
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next, [...path, node]);
      if (cycle) return cycle;
    }
    done.add(node);
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node, []);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('the worker’s folders', () => {
  it('import each other without a cycle', () => {
    const graph = folderGraph();
    expect(graph.size).toBeGreaterThan(5);
    expect(findCycle(graph)).toBeUndefined();
  });

  it('find the cycle the check is for', () => {
    const graph = new Map([
      ['auth', new Set(['credentials'])],
      ['credentials', new Set(['auth'])],
    ]);
    expect(findCycle(graph)).toEqual(['auth', 'credentials', 'auth']);
  });

  it('keep credentials/ on top of the session module, never under it', () => {
    const graph = folderGraph();
    expect(graph.get('credentials')?.has('auth')).toBe(true);
    expect(graph.get('auth')?.has('credentials')).toBe(false);
    expect(graph.get('platform')).toEqual(new Set());
  });
});
