// npm run bench:bundle (or npx tsx bench/bundle.ts) — the JavaScript a browser downloads for each page on a cold load.
//   1. Builds a blank Next.js app of the same version (a layout and a trivial page, in .data/bench-blank) and measures
//      its page: the baseline the framework itself costs.
//   2. Starts this app's production build (`npm run build` first) in demo mode with a throwaway database, signs in as
//      each demo person in Chromium, and loads every page they can reach in a fresh browser context (empty cache):
//      the sum of every script's body as it came over the wire (compressed), including the chunks a page loads on its
//      own as it first renders (it waits for the network to go quiet). Chunks loaded only on scroll or click are not
//      counted: that is the point of loading them late.
// Prints a table, then one JSON line (BENCH_DETAIL=1 also logs every script's size to stderr). Exits 1 when a page is more than BENCH_BUDGET_KB (20) over the baseline.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type Browser, chromium, type Page } from "@playwright/test";
import { ADMIN_PAGES, TEAM_PAGES } from "../e2e/pages";
import { freePort } from "../lib/db/embedded";

const ROOT = process.cwd();
const BUDGET_KB = Number(process.env.BENCH_BUDGET_KB ?? 20);
const NEXT = path.join(ROOT, "node_modules/next/dist/bin/next");
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const children: ChildProcess[] = [];
const stopAll = () => children.forEach((c) => c.kill("SIGTERM"));
process.on("exit", stopAll);

const browserPath = process.env.CREDITDESK_CHROMIUM || ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));

async function waitFor(url: string, seconds: number): Promise<void> {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    try {
      const r = await fetch(url, { redirect: "manual" });
      if (r.status < 500) return;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`${url} did not answer within ${seconds} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function start(command: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env }, stdio: ["ignore", "ignore", "pipe"] });
  child.stderr?.on("data", (d: Buffer) => process.env.BENCH_VERBOSE && process.stderr.write(d));
  children.push(child);
  return child;
}

/** Bytes of script a cold load of `url` downloads (compressed, as sent), with the scripts' names. */
async function scriptBytes(page: Page, url: string): Promise<{ bytes: number; scripts: number; status: number }> {
  const sizes: Promise<number>[] = [];
  page.on("requestfinished", (req) => {
    if (req.resourceType() !== "script") return;
    const size = req.sizes().then((s) => s.responseBodySize);
    if (process.env.BENCH_DETAIL) void size.then((n) => log(`  ${(n / 1024).toFixed(1).padStart(6)} kB  ${new URL(req.url()).pathname}  (${url})`));
    sizes.push(size);
  });
  const res = await page.goto(url, { waitUntil: "networkidle" });
  await page.waitForLoadState("networkidle");
  const all = await Promise.all(sizes);
  return { bytes: all.reduce((a, b) => a + b, 0), scripts: all.length, status: res?.status() ?? 0 };
}

async function coldLoad(browser: Browser, url: string, storageState?: Awaited<ReturnType<import("@playwright/test").BrowserContext["storageState"]>>) {
  const context = await browser.newContext({ storageState, viewport: { width: 1280, height: 800 } });
  try {
    return await scriptBytes(await context.newPage(), url);
  } finally {
    await context.close();
  }
}

async function baseline(browser: Browser): Promise<number> {
  const dir = path.join(ROOT, ".data/bench-blank");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, "app"), { recursive: true });
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "bench-blank", private: true }));
  writeFileSync(path.join(dir, "next.config.js"), `module.exports = { turbopack: { root: ${JSON.stringify(ROOT)} } };\n`);
  writeFileSync(
    path.join(dir, "app/layout.jsx"),
    `export default function RootLayout({ children }) {\n  return (\n    <html lang="en">\n      <body>{children}</body>\n    </html>\n  );\n}\n`,
  );
  writeFileSync(path.join(dir, "app/page.jsx"), `export default function Page() {\n  return <h1>Hello</h1>;\n}\n`);
  log("building the blank Next.js app (.data/bench-blank)");
  execFileSync(process.execPath, [NEXT, "build", dir], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  const port = await freePort();
  const server = start(process.execPath, [NEXT, "start", dir, "-p", String(port)], {});
  await waitFor(`http://localhost:${port}/`, 60);
  const r = await coldLoad(browser, `http://localhost:${port}/`);
  server.kill("SIGTERM");
  return r.bytes;
}

type Persona = "Erin Ito" | "Olivia Okafor" | "Pat Moreau";
async function main() {
  if (!existsSync(path.join(ROOT, ".next/BUILD_ID"))) throw new Error("no production build: run `npm run build` first");
  const browser = await chromium.launch({ executablePath: browserPath, args: ["--no-sandbox", "--disable-gpu", "--disable-quic"] });
  try {
    const base = await baseline(browser);
    log(`blank Next.js page: ${(base / 1024).toFixed(1)} kB`);

    const port = await freePort();
    const emulatorPort = await freePort();
    const dataDir = ".data/bench-bundle";
    rmSync(path.join(ROOT, dataDir), { recursive: true, force: true });
    log("starting the app in demo mode");
    start(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "scripts/serve.ts"], {
      CREDITDESK_DEMO: "1",
      PORT: String(port),
      STRIPE_EMULATOR_PORT: String(emulatorPort),
      CREDITDESK_DATA_DIR: dataDir,
      DATABASE_URL: "",
      STRIPE_SECRET_KEY: "",
      STRIPE_PUBLISHABLE_KEY: "",
      STRIPE_WEBHOOK_SECRET: "",
      STRIPE_API_BASE: "",
      AUTH_SECRET: "",
      EMAIL_SERVER: "",
    });
    const origin = `http://localhost:${port}`;
    await waitFor(`${origin}/signin`, 180);

    const rows: { path: string; who: string; kb: number; overKb: number; scripts: number }[] = [];
    const measure = async (who: string, url: string, state?: Parameters<typeof coldLoad>[2]) => {
      const r = await coldLoad(browser, `${origin}${url}`, state);
      if (r.status >= 400) return log(`${url}: HTTP ${r.status}, skipped`);
      const kb = r.bytes / 1024;
      rows.push({ path: url, who, kb, overKb: (r.bytes - base) / 1024, scripts: r.scripts });
    };
    await measure("anyone", "/signin");

    const people: { who: Persona; pages: (slug: string) => string[] }[] = [
      { who: "Olivia Okafor", pages: (slug) => TEAM_PAGES.map((p) => `/t/${slug}/${p}`) },
      { who: "Erin Ito", pages: (slug) => [`/t/${slug}/overview`] },
      { who: "Pat Moreau", pages: () => [...ADMIN_PAGES] },
    ];
    for (const person of people) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${origin}/signin`);
      await page.getByRole("button", { name: new RegExp(`Sign in as ${person.who}`) }).click();
      await page.waitForURL((u) => u.pathname.startsWith("/t/") || u.pathname.startsWith("/admin"), { timeout: 60_000 });
      await page.waitForLoadState("networkidle");
      const slug = /^\/t\/([^/]+)/.exec(new URL(page.url()).pathname)?.[1] ?? "";
      const state = await context.storageState();
      await context.close();
      for (const p of person.pages(slug)) await measure(person.who, p, state);
    }

    const worst = rows.reduce((a, r) => (r.overKb > a.overKb ? r : a), rows[0]!);
    console.log(`${"page".padEnd(44)}${"who".padEnd(16)}${"kB".padStart(8)}${"over blank".padStart(12)}${"scripts".padStart(9)}`);
    console.log(`${"(blank Next.js app)".padEnd(44)}${"".padEnd(16)}${(base / 1024).toFixed(1).padStart(8)}${"".padStart(12)}`);
    for (const r of rows) {
      const flag = r.overKb > BUDGET_KB ? "  OVER" : "";
      console.log(
        `${r.path.padEnd(44)}${r.who.padEnd(16)}${r.kb.toFixed(1).padStart(8)}${r.overKb.toFixed(1).padStart(12)}${String(r.scripts).padStart(9)}${flag}`,
      );
    }
    const ok = rows.every((r) => r.overKb <= BUDGET_KB);
    console.log(
      JSON.stringify({
        bench: "bundle",
        baselineKb: +(base / 1024).toFixed(1),
        budgetKb: BUDGET_KB,
        ok,
        worst: { path: worst.path, kb: +worst.kb.toFixed(1), overKb: +worst.overKb.toFixed(1) },
        pages: rows.map((r) => ({ path: r.path, who: r.who, kb: +r.kb.toFixed(1), overKb: +r.overKb.toFixed(1) })),
      }),
    );
    process.exitCode = ok ? 0 : 1;
  } finally {
    await browser.close();
    stopAll();
  }
}

main().catch((e) => {
  console.error(`[bench] ${e instanceof Error ? e.message : String(e)}`);
  stopAll();
  process.exit(2);
});
