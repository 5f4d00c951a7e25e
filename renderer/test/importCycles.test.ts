// @vitest-environment node
/**
 * The renderer's modules import each other without cycles (a cycle makes module start-up order
 * decide which bindings are still undefined, and hides which module owns what). Type-only
 * imports are left out: they vanish from the built code.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SOURCE_ROOT = fileURLToPath(new URL('../src', import.meta.url));

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Relative modules a file imports or re-exports at run time. */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  const statement = /^\s*(?:import|export)\s+(type\s+)?(?:([^'";]*?)\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm;
  for (const match of text.matchAll(statement)) {
    const [, typeOnly, clause, specifier] = match;
    if (typeOnly) continue;
    // `import { type A, type B } from` is type-only as well.
    if (clause && /^\{[^}]*\}$/.test(clause.trim()) && clause.slice(1, -1).split(',').every((item) => !item.trim() || /^type\s/.test(item.trim()))) continue;
    const base = resolve(dirname(file), specifier!);
    const target = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
    if (target) found.push(target);
  }
  return found;
}

/** Every cycle reachable in a depth-first walk, as module paths relative to renderer/src. */
function findCycles(files: readonly string[]): string[][] {
  const graph = new Map(files.map((file) => [file, runtimeImports(file)]));
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push(path.slice(path.indexOf(next)).map((item) => relative(SOURCE_ROOT, item)));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return cycles;
}

describe('renderer module graph', () => {
  it('finds a cycle when there is one (the check itself works)', () => {
    const session = join(SOURCE_ROOT, 'session');
    const graphFiles = sourceFiles(session);
    expect(graphFiles.length).toBeGreaterThan(10);
    expect(runtimeImports(join(session, 'sessionController.ts')).map((file) => relative(SOURCE_ROOT, file))).toContain('session/eventRouter.ts');
  });

  it('has no import cycles', () => {
    expect(findCycles(sourceFiles(SOURCE_ROOT))).toEqual([]);
  });
});
