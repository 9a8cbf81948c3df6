import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Imports between the display's folders flow one way: `state/` (stores and what is derived from them) imports
 * `map/` (pure picture functions and layer factories of plain data), never the reverse — tests included, so a
 * type parked in the wrong folder shows here before it grows into a cycle.
 */
const SRC = dirname(fileURLToPath(import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : /\.(ts|svelte)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** The `src/` folder each relative import of a file lands in (`state`, `map`, …; `.` for a file in src itself). */
function importedFolders(file: string): { spec: string; folder: string }[] {
  const text = readFileSync(file, 'utf8');
  const specs = [
    ...text.matchAll(/(?:import|export)\b[^'"]*?\bfrom\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g),
  ].map((m) => m[1] ?? m[2]!);
  return specs.map((spec) => ({ spec, folder: relative(SRC, resolve(dirname(file), spec)).split(/[\\/]/)[0]! }));
}

function importsInto(from: string, to: string): string[] {
  return filesUnder(join(SRC, from)).flatMap((f) =>
    importedFolders(f)
      .filter((i) => i.folder === to)
      .map((i) => `${relative(SRC, f)} → ${i.spec}`),
  );
}

/** The first import cycle among the display's files (type-only imports included), or null. */
function firstCycle(): string[] | null {
  const edges = new Map<string, string[]>();
  for (const f of filesUnder(SRC)) {
    const text = readFileSync(f, 'utf8');
    const specs = [...text.matchAll(/(?:import|export)\b[^'"]*?\bfrom\s*['"](\.[^'"]+)['"]/g)].map((m) => m[1]!);
    edges.set(
      relative(SRC, f),
      specs.map((spec) => relative(SRC, resolve(dirname(f), spec))),
    );
  }
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (file: string): string[] | null => {
    const at = path.indexOf(file);
    if (at >= 0) return [...path.slice(at), file];
    if (done.has(file)) return null;
    path.push(file);
    for (const next of edges.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(file);
    return null;
  };
  for (const file of edges.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return null;
}

describe('the display’s import direction', () => {
  it('has no import cycle between files, type-only imports included (a type lives where its users can reach it)', () => {
    expect(firstCycle()).toBeNull();
  });

  it('has map/ import nothing from state/ (state derives the map’s inputs, the map draws them)', () => {
    expect(importsInto('map', 'state')).toEqual([]);
  });

  it('does see state/ importing map/, so the scan reads the imports it guards', () => {
    expect(importsInto('state', 'map').length).toBeGreaterThan(0);
  });

  it('has map/ import nothing from the screens, the replay or the panels either', () => {
    expect([
      ...importsInto('map', 'screens'),
      ...importsInto('map', 'replay'),
      ...importsInto('map', 'panels'),
    ]).toEqual([]);
  });
});
