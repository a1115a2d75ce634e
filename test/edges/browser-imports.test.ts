import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";

// Issue 12, the JavaScript budget: zod is most of what a page would download beyond the framework, so no module the
// browser loads at once may import it. A client component names routes through lib/edge/endpoint and imports
// contracts as types only. This follows every import the browser evaluates from every "use client" file (type-only
// imports and `import()` loaded later, on a click, are not followed) and fails on a path that reaches zod or a
// contract. `npm run bench:bundle` measures the bytes; this keeps the cause from coming back between measurements.

const root = join(import.meta.dirname, "../..");

function filesUnder(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? filesUnder(path) : /\.tsx?$/.test(path) ? [path] : [];
  });
}

/** The specifiers a module imports for its value at load time (not `import type`, not `import()`). */
export function valueImports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?([^'";]*?)\s*from\s*["']([^"']+)["']/gm)) {
    if (m[1]) continue;
    const specs = m[2]!.replace(/^\{|\}$/g, "").trim();
    const braced = /^\{[^}]*\}$/.test(m[2]!.trim());
    if (braced && specs.split(",").every((s) => s.trim() === "" || s.trim().startsWith("type "))) continue;
    out.push(m[3]!);
  }
  for (const m of text.matchAll(/^import\s+["']([^"']+)["']/gm)) out.push(m[1]!);
  return out;
}

function resolve(from: string, spec: string): string | null {
  const base = spec.startsWith("@/") ? spec.slice(2) : spec.startsWith(".") ? join(dirname(from), spec) : null;
  if (base === null) return null;
  for (const c of [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts"), join(base, "index.tsx")]) {
    if (existsSync(join(root, c)) && statSync(join(root, c)).isFile()) return relative(root, join(root, c));
  }
  return null;
}

/** The first chain of imports from `start` that reaches zod or a contract, or null. */
function pathToZod(start: string): string[] | null {
  const seen = new Set<string>();
  const walk = (file: string, chain: string[]): string[] | null => {
    if (seen.has(file)) return null;
    seen.add(file);
    if (/(^|\/)contract\.ts$/.test(file)) return [...chain, file];
    for (const spec of valueImports(readFileSync(join(root, file), "utf8"))) {
      if (spec === "zod" || spec.startsWith("zod/")) return [...chain, file, spec];
      const next = resolve(file, spec);
      if (next) {
        const found = walk(next, [...chain, file]);
        if (found) return found;
      }
    }
    return null;
  };
  return walk(start, []);
}

describe("the browser loads no zod", () => {
  const clientFiles = ["app", "components", "lib"].flatMap(filesUnder).filter((f) => /^["']use client["']/m.test(readFileSync(join(root, f), "utf8")));

  it("finds the client components", () => {
    expect(clientFiles.length).toBeGreaterThan(30);
  });

  it.each(clientFiles)("%s imports no zod and no contract, however indirectly", (file) => {
    expect(pathToZod(file)).toBeNull();
  });

  it("reads imports as the bundler does", () => {
    expect(valueImports('import { z } from "zod";')).toEqual(["zod"]);
    expect(valueImports('import type { z } from "zod";')).toEqual([]);
    expect(valueImports('import { type A, type B } from "./contract";')).toEqual([]);
    expect(valueImports('import { type A, b } from "./x";')).toEqual(["./x"]);
    expect(valueImports('import "./side-effect";')).toEqual(["./side-effect"]);
    expect(valueImports('export { a } from "./a";')).toEqual(["./a"]);
  });
});
