/**
 * The import graph of src/, read from the sources: which of our modules each file names, and how
 * (a static value import, a type-only import, or a dynamic `import()`). The architecture tests
 * check rules on it; a regular expression suffices because the sources are formatted (one import
 * statement per line start) and name our modules by relative paths ending in .js.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "./run-binary.js";

export type ImportKind = "static" | "type" | "dynamic";

export interface Edge {
  readonly from: string;
  readonly to: string;
  readonly kind: ImportKind;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** Every file of src/ (as "src/…/x.ts"). */
export function sourceFiles(): string[] {
  return sources(join(ROOT, "src"))
    .map((f) => relative(ROOT, f))
    .sort();
}

/** The src/ file a relative specifier in `from` names. */
function target(from: string, specifier: string): string {
  return relative(ROOT, join(ROOT, from, "..", specifier.replace(/\.js$/, ".ts")));
}

/** Every import of one of our modules in `file`: `import … from`, `export … from`, `import()`, `typeof import()`. */
export function importsOf(file: string): Edge[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const edges: Edge[] = [];
  for (const m of text.matchAll(/^(import|export)(\s+type\b)?[^;]*?from\s+"(\.{1,2}\/[^"]+)"/gm)) {
    // `import { type A, type B } from` loads the module as well (no elision under verbatim syntax), so only `import type` is a type.
    edges.push({ from: file, to: target(file, m[3] as string), kind: m[2] ? "type" : "static" });
  }
  // A bare `import "./x.js"` runs the module for its effects.
  for (const m of text.matchAll(/^import\s+"(\.{1,2}\/[^"]+)"/gm))
    edges.push({ from: file, to: target(file, m[1] as string), kind: "static" });
  for (const m of text.matchAll(/(typeof\s*)?\bimport\(\s*"(\.{1,2}\/[^"]+)"\s*\)/g)) {
    edges.push({ from: file, to: target(file, m[2] as string), kind: m[1] ? "type" : "dynamic" });
  }
  return edges;
}

/** The whole graph of src/. */
export function importGraph(): Edge[] {
  return sourceFiles().flatMap(importsOf);
}

/**
 * The circles of the graph: each strongly connected group of two or more files (or one that
 * imports itself), as its sorted file names (Tarjan's algorithm).
 */
export function cycles(edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || (next.get(v) ?? []).includes(v)) found.push(group.sort());
    }
  };
  for (const v of [...new Set(edges.flatMap((e) => [e.from, e.to]))].sort()) if (!index.has(v)) visit(v);
  return found.sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
}

/**
 * The modules `entries` load through static value imports (not `import type`, not `import()`),
 * themselves included: what a run that reaches them pays for, all the way down.
 */
export function staticClosure(entries: readonly string[], edges: readonly Edge[] = importGraph()): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const e of edges) if (e.from === file && e.kind === "static") visit(e.to);
  };
  entries.forEach(visit);
  return [...seen].sort();
}
