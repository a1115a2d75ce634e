import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// Issue 9, "one way in": every route handler and server action is built from lib/edge, and the layering is a lint
// rule that fails on a planted violation. This reads the source as text, so a new file cannot slip past it.

const root = join(import.meta.dirname, "../..");

function filesUnder(dir: string, keep: (path: string) => boolean): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? filesUnder(path, keep) : keep(path) ? [path] : [];
  });
}

/** The doors that are not ours to build: Auth.js's own handlers, and Stripe's signed webhook (its own door). */
const OWN_DOORS: Record<string, RegExp> = {
  "app/api/auth/[...nextauth]/route.ts": /export const \{ GET, POST \} = handlers;/,
  "app/api/stripe/webhook/route.ts": /export const POST = stripeWebhookRoute;/,
  "app/api/v1/billing/stripe_webhook/route.ts": /export const POST = stripeWebhookRoute;/,
};

const METHOD_EXPORT = /export\s+(?:const|async function|function)\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b\s*(=\s*)?/g;

describe("every edge is built from the one pipeline", () => {
  const routes = filesUnder("app", (p) => p.endsWith("/route.ts"));

  it("finds the route files", () => {
    expect(routes.length).toBeGreaterThan(15);
  });

  it.each(routes)("%s: each exported method is route(contract, access, handler) from lib/edge/route", (file) => {
    const text = readFileSync(join(root, file), "utf8");
    const door = OWN_DOORS[file];
    if (door) return expect(text).toMatch(door);
    expect(text).toMatch(/from "@\/lib\/edge\/route"/);
    const exports = [...text.matchAll(METHOD_EXPORT)];
    expect(exports.length, "exports no handler").toBeGreaterThan(0);
    for (const m of exports) {
      const after = text.slice(m.index + m[0].length);
      expect(m[2], `${m[1]} is a function of its own, not route(...)`).toBeDefined();
      expect(after, `${m[1]} is not built with route(...)`).toMatch(/^route\(/);
    }
  });

  const serverFiles = [...filesUnder("app", (p) => /\.tsx?$/.test(p)), ...filesUnder("lib", (p) => /\.tsx?$/.test(p) && !p.includes("/generated/"))].filter(
    (f) => /^\s*["']use server["']/m.test(readFileSync(join(root, f), "utf8")),
  );

  it.each(serverFiles.length ? serverFiles : ["(none)"])("%s: each server action is action(access, fn) from lib/edge/action", (file) => {
    if (file === "(none)") return;
    const text = readFileSync(join(root, file), "utf8");
    expect(text, "an inline server action: move it to an actions file built with action()").toMatch(/^["']use server["'];?\n/);
    expect(text).toMatch(/from "@\/lib\/edge\/action"/);
    for (const m of text.matchAll(/export\s+(const|async function|function)\s+(\w+)\s*(=\s*)?/g)) {
      expect(m[1], `${m[2]} is a function of its own, not action(...)`).toBe("const");
      expect(text.slice(m.index + m[0].length), `${m[2]} is not built with action(...) or formAction(...)`).toMatch(/^(action|formAction)\(/);
    }
  });

  it("no edge file imports the old wrappers", () => {
    const edges = [...filesUnder("app", (p) => /\.tsx?$/.test(p)), ...filesUnder("components", (p) => /\.tsx?$/.test(p))];
    const old = /lib\/auth\/(api-route|team-route|actions|admin-action)"|components\/client-api"|\bsendJson\(/;
    expect(edges.filter((f) => old.test(readFileSync(join(root, f), "utf8"))).map((f) => relative(root, join(root, f)))).toEqual([]);
  });
});

describe("the layering is a lint rule", () => {
  // The planted files exist only in memory: the TypeScript project service parses them as a default project.
  const planted = ["app/planted/*.ts", "app/planted/*.tsx", "components/planted/*.ts", "lib/billing/planted/*.ts"];
  const eslint = new ESLint({
    cwd: root,
    overrideConfig: { files: ["**/planted/**"], languageOptions: { parserOptions: { projectService: { allowDefaultProject: planted } } } },
  });
  const lint = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
    return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => m.ruleId);
  };

  it("fails on a database import, a Prisma call or a Stripe client at the edge", async () => {
    expect(await lint("app/planted/page.tsx", 'import { db } from "@/lib/db/client";\nexport const x = db;\n')).toContain(
      "@typescript-eslint/no-restricted-imports",
    );
    expect(await lint("components/planted/types.ts", 'import type { Team } from "@/lib/db/generated/client";\nexport type T = Team;\n')).toContain(
      "@typescript-eslint/no-restricted-imports",
    );
    expect(await lint("app/planted/route.ts", "export async function f(ctx: { db: any }) {\n  return ctx.db.team.findMany();\n}\n")).toContain(
      "no-restricted-syntax",
    );
    expect(await lint("app/planted/stripe.tsx", 'import { stripeClient } from "@/lib/stripe/client";\nexport const s = stripeClient;\n')).toContain(
      "@typescript-eslint/no-restricted-imports",
    );
  }, 300_000);

  it("fails on Next.js, React or the Stripe SDK in the billing core", async () => {
    for (const mod of ["next/navigation", "react", "stripe", "../../stripe/client"]) {
      expect(await lint("lib/billing/planted/core.ts", `import * as m from "${mod}";\nexport const x = m;\n`), mod).toContain("no-restricted-imports");
    }
  }, 300_000);

  it("passes a clean edge file", async () => {
    expect(await lint("app/planted/clean.tsx", 'import { teamPage } from "@/lib/edge/page";\nexport const p = teamPage;\n')).toEqual([]);
  }, 300_000);
});
