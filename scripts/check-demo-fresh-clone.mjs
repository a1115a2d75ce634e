#!/usr/bin/env node
// `npm run test:fresh-clone` (also run by `npm test` after the build): clones this repository into a folder only its
// owner can enter (a home folder with mode 0700, like /root), starts the demo there with the README's `npm run demo`,
// waits for the sign-in page to answer 200 over HTTP, checks the files in public/ are served, and stops it.
// Run as root (a fresh container), this is the case where the embedded PostgreSQL runs as the `postgres` user, who
// cannot enter that folder. It takes the last commit (what `git clone` gives) and reuses this checkout's installed
// node_modules, generated Prisma client and production build by hard links (`cp -al`) to stay fast; the launcher,
// the database start-up and the app are the real ones. Prints one line with the outcome; exits 1 on failure.
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const src = path.resolve(import.meta.dirname, "..");
const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const say = (line) => console.log(`[fresh-clone] ${line}`);

try {
  execFileSync("git", ["rev-parse", "--verify", "HEAD"], { cwd: src, stdio: "ignore" });
} catch {
  say("skipped: this is not a git checkout with a commit to clone");
  process.exit(0);
}

const tmp = mkdtempSync(path.join(os.tmpdir(), "creditdesk-clone-"));
const home = path.join(tmp, "home");
mkdirSync(home, { mode: 0o700 });
const clone = path.join(home, "creditdesk");
execFileSync("git", ["clone", "--quiet", src, clone], { stdio: "inherit" });
if (execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: src, encoding: "utf8" }).trim())
  say("note: this checkout has uncommitted changes; the clone has the last commit only");
for (const dir of ["node_modules", "lib/db/generated", ".next"]) {
  if (existsSync(path.join(src, dir))) execFileSync("cp", ["-al", path.join(src, dir), path.join(clone, dir)]);
}
if (existsSync(path.join(clone, ".next/BUILD_ID"))) {
  // A fresh copy (not a link) so the build counts as newer than the freshly checked-out sources, and the demo does
  // not rebuild what this checkout already built.
  rmSync(path.join(clone, ".next/BUILD_ID"));
  copyFileSync(path.join(src, ".next/BUILD_ID"), path.join(clone, ".next/BUILD_ID"));
} else say("note: no production build in this checkout; the demo will build one (minutes)");

const port = await new Promise((resolve) => {
  const srv = net.createServer().listen(0, "127.0.0.1", () => {
    const p = srv.address().port;
    srv.close(() => resolve(p));
  });
});
const env = { ...process.env, PORT: String(port), NEXT_TELEMETRY_DISABLED: "1" };
for (const k of [
  "DATABASE_URL",
  "CREDITDESK_DATA_DIR",
  "AUTH_SECRET",
  "APP_URL",
  "STRIPE_SECRET_KEY",
  "STRIPE_PUBLISHABLE_KEY",
  "STRIPE_WEBHOOK_SECRET",
  "STRIPE_API_BASE",
  "STRIPE_EMULATOR_PORT",
  "PG_PORT",
  "EMAIL_SERVER",
])
  delete env[k];

say(`${process.getuid?.() === 0 ? "as root, " : ""}npm run demo in ${clone} (its home folder is mode 0700), port ${port}`);
const demo = spawn("npm", ["run", "demo"], { cwd: clone, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
let output = "";
demo.stdout.on("data", (b) => (output += b));
demo.stderr.on("data", (b) => (output += b));
let exited = null;
const exit = new Promise((resolve) => demo.on("exit", (code, signal) => resolve((exited = { code, signal }))));

const base = `http://127.0.0.1:${port}`;
const get = async (p) => {
  try {
    const r = await fetch(base + p, { redirect: "manual", signal: AbortSignal.timeout(10_000) });
    return { status: r.status, type: r.headers.get("content-type") ?? "", body: await r.text() };
  } catch {
    return null;
  }
};

const problems = [];
let signin = null;
const deadline = Date.now() + Number(process.env.FRESH_CLONE_TIMEOUT ?? 180) * 1000;
while (!exited && Date.now() < deadline) {
  signin = await get("/signin");
  if (signin?.status === 200) break;
  await new Promise((r) => setTimeout(r, 500));
}
const ready = signin?.status === 200 && !exited;
if (!ready)
  problems.push(exited ? `the demo exited (${exited.code ?? exited.signal}) before the sign-in page answered` : "the sign-in page did not answer 200 in time");
else {
  say(`sign-in page answered 200 after ${seconds()}`);
  const robots = await get("/robots.txt");
  if (robots?.status !== 200 || !/Disallow: \/t\//.test(robots.body) || !/Disallow: \/api\//.test(robots.body))
    problems.push(`/robots.txt answered ${robots?.status} without disallowing /t/ and /api/`);
  const icon = await get("/icon.svg");
  if (icon?.status !== 200 || !icon.type.startsWith("image/svg+xml")) problems.push(`/icon.svg answered ${icon?.status} ${icon?.type}`);
  if (!/<link rel="icon" href="\/icon\.svg[^"]*"/.test(signin.body)) problems.push("the sign-in page does not link /icon.svg as its icon");
}
if (/^\s+at .+:\d+:\d+\)?$/m.test(output)) problems.push("the output has a stack trace");

// Stop the demo as a user would (Ctrl-C reaches the whole process group), then clean up.
if (!exited) {
  const stopAt = Date.now();
  process.kill(-demo.pid, "SIGINT");
  const timer = setTimeout(() => process.kill(-demo.pid, "SIGKILL"), 30_000);
  await exit;
  clearTimeout(timer);
  say(`stopped ${((Date.now() - stopAt) / 1000).toFixed(1)} s after Ctrl-C (${exited.code ?? exited.signal})`);
  if (/^\s+at .+:\d+:\d+\)?$/m.test(output)) problems.push("stopping printed a stack trace");
}
const cluster = path.join(clone, ".data/pg");
const outside = existsSync(cluster) && lstatSync(cluster).isSymbolicLink() ? readlinkSync(cluster) : null;
rmSync(tmp, { recursive: true, force: true });
if (outside) rmSync(outside, { recursive: true, force: true });

if (problems.length) {
  process.stdout.write(`${output.trimEnd().split("\n").slice(-40).join("\n")}\n`);
  say(`FAILED after ${seconds()}: ${problems.join("; ")}`);
  process.exit(1);
}
say(`ok in ${seconds()}: the demo started from a 0700 folder, served /signin, /robots.txt and /icon.svg, and stopped`);
