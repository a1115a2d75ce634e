// npm run bench:ledger — ledger throughput on a durable embedded PostgreSQL (fsync and synchronous_commit on).
// Prints a table, then one JSON line. Knobs: BENCH_SECONDS (20), BENCH_HTTP_SECONDS (15), BENCH_CALLERS (64),
// BENCH_SKIP_HTTP=1, BENCH_SKIP_CORE=1 (only the HTTP phases), BENCH_BUILD_DIR (a prebuilt app to serve),
// BENCH_HTTP_SINGLE_CLIENTS (16), BENCH_OPEN_RPS (800, or less on a machine that cannot serve it: see openRate),
// BENCH_ROUNDS (2), BENCH_CPU_PROF_DIR (the server writes a CPU profile there), BENCH_TRACE_FILE (phase starts and
// open-loop latencies), BENCH_NODE_ARGS (Node flags for the server), and the batcher's DEBIT_BATCH_WINDOW_MS /
// DEBIT_BATCH_MAX / DEBIT_BATCH_IN_FLIGHT.
// The HTTP part sets single-event usage beside a same-run baseline: GET /api/v1/keys/current, the same API-key
// authentication and route pipeline with no billing work. Both run closed loop (16 clients, as many requests as they
// can) and open loop (a fixed offered rate, latency counted from when each request was due, so a stall is not hidden),
// alternating in BENCH_ROUNDS rounds so a neighbour's burst of CPU falls on both.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createApiKey } from "../lib/billing/api-keys/create-api-key";
import { setBudget } from "../lib/billing/budgets/set-budget";
import { billingConfig } from "../lib/billing/config";
import { setCreditLimit } from "../lib/billing/credit-lines/set-credit-limit";
import { applyDebits } from "../lib/billing/ledger/apply-debits";
import { creditCredits } from "../lib/billing/ledger/credit-credits";
import { debitCredits } from "../lib/billing/ledger/debit-credits";
import { verifyBalance } from "../lib/billing/ledger/verify-balance";
import { recordUsage } from "../lib/billing/usage/record-usage";
import { createDb, type Db } from "../lib/db/client";
import { freePort, startEmbeddedPostgres } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";
import { naiveDebit } from "./naive-debit";

const envNum = (name: string, def: number) => (process.env[name] ? Number(process.env[name]) : def);
const SECONDS = envNum("BENCH_SECONDS", 20);
const HTTP_SECONDS = envNum("BENCH_HTTP_SECONDS", 15);
const CALLERS = envNum("BENCH_CALLERS", 64);
const HTTP_BATCH_CLIENTS = envNum("BENCH_HTTP_BATCH_CLIENTS", 4);
const HTTP_SINGLE_CLIENTS = envNum("BENCH_HTTP_SINGLE_CLIENTS", 16);
const OPEN_RPS = process.env.BENCH_OPEN_RPS ? Number(process.env.BENCH_OPEN_RPS) : null; // null: see openRate
const ROUNDS = Math.max(1, envNum("BENCH_ROUNDS", 2));
const SKIP_CORE = process.env.BENCH_SKIP_CORE === "1";
const EVENTS_PER_REQUEST = 1000;
const START = 1_000_000_000_000_000n; // credits on each hot team: nothing runs out during a timed phase
const ROOT = process.cwd();

const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
// BENCH_TRACE_FILE: each phase's start on the monotonic clock in µs (the clock of a V8 CPU profile's timestamps, so a
// BENCH_CPU_PROF_DIR profile can be cut into phases) and each open-loop request (phase, when due, latency), at exit.
const TRACE_FILE = process.env.BENCH_TRACE_FILE;
const traceRows: string[] = [];
const trace = (row: string) => void (TRACE_FILE && traceRows.push(row));
if (TRACE_FILE) process.on("exit", () => writeFileSync(TRACE_FILE, traceRows.join("\n")));
// The op mix: the seed's weights add (1), multiply (5), matmul (20); every 100th call repeats an earlier key.
const OPS = [
  ["add", 1n],
  ["multiply", 5n],
  ["matmul", 20n],
] as const;
const opFor = (n: number) => OPS[n % OPS.length]!;
const qtyFor = (n: number) => BigInt(1 + (n % 3));

type Status = "debited" | "duplicate" | "rejected";
type PhaseResult = {
  name: string;
  calls: number;
  events: number;
  debited: number;
  duplicate: number;
  rejected: number;
  credits: bigint;
  seconds: number;
  lat: number[];
  note: string;
};

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** `callers` concurrent loops, each awaiting one call at a time, until the deadline. */
async function closedLoop(
  name: string,
  callers: number,
  seconds: number,
  call: (key: string, n: number) => Promise<{ status: Status; credits: bigint; events?: number }>,
  note = "",
  stop: () => boolean = () => false,
): Promise<PhaseResult> {
  const r: PhaseResult = { name, calls: 0, events: 0, debited: 0, duplicate: 0, rejected: 0, credits: 0n, seconds: 0, lat: [], note };
  trace(`PHASE\t${name}\t${process.hrtime.bigint() / 1000n}`);
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: callers }, async (_, w) => {
      for (let i = 0; performance.now() < deadline && !stop(); i++) {
        const n = w * 10_000_000 + i;
        const key = i > 0 && i % 100 === 0 ? `${name}-${n - 50}` : `${name}-${n}`; // a repeat of this caller's key 50 calls ago
        const s = performance.now();
        const out = await call(key, n);
        r.lat.push(performance.now() - s);
        r.calls++;
        r[out.status]++;
        r.events += out.events ?? (out.status === "debited" ? 1 : 0);
        if (out.status === "debited") r.credits += out.credits;
      }
    }),
  );
  r.seconds = (performance.now() - t0) / 1000;
  return r;
}

/**
 * Open loop: requests leave at a fixed offered rate whatever the answers do, and each latency counts from when its
 * request was due, so a server that falls behind shows it in p99 instead of slowing the clients down.
 */
async function openLoop(
  name: string,
  rps: number,
  seconds: number,
  call: (key: string, n: number) => Promise<{ status: Status; credits: bigint }>,
  note = "",
): Promise<PhaseResult> {
  const r: PhaseResult = { name, calls: 0, events: 0, debited: 0, duplicate: 0, rejected: 0, credits: 0n, seconds: 0, lat: [], note };
  const total = Math.max(1, Math.floor(rps * seconds));
  trace(`PHASE\t${name}\t${process.hrtime.bigint() / 1000n}`);
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    let sent = 0;
    let pending = 0;
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rps) + 1);
      for (; sent < due; sent++) {
        const n = sent;
        const at = t0 + (n / rps) * 1000;
        const key = n >= 100 && n % 100 === 0 ? `${name}-${n - 50}` : `${name}-${n}`;
        pending++;
        call(key, n).then(
          (out) => {
            r.lat.push(performance.now() - at);
            if (TRACE_FILE) trace(`${name}\t${Math.round(at)}\t${(performance.now() - at).toFixed(2)}`);
            r.calls++;
            r[out.status]++;
            if (out.status === "debited") {
              r.events++;
              r.credits += out.credits;
            }
            if (--pending === 0 && sent === total) resolve();
          },
          (e: unknown) => reject(e as Error),
        );
      }
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  r.seconds = (performance.now() - t0) / 1000;
  return r;
}

/** One row from the rounds of a phase. */
function merge(name: string, parts: PhaseResult[]): PhaseResult {
  const m: PhaseResult = { name, calls: 0, events: 0, debited: 0, duplicate: 0, rejected: 0, credits: 0n, seconds: 0, lat: [], note: parts[0]?.note ?? "" };
  for (const p of parts) {
    m.calls += p.calls;
    m.events += p.events;
    m.debited += p.debited;
    m.duplicate += p.duplicate;
    m.rejected += p.rejected;
    m.credits += p.credits;
    m.seconds += p.seconds;
    for (const l of p.lat) m.lat.push(l);
  }
  return m;
}

async function makeTeam(db: Db, name: string, credits: bigint): Promise<string> {
  const team = await db.team.create({ data: { name, slug: `${name}-${Date.now()}` } });
  if (credits > 0n) await creditCredits({ db, teamId: team.id, amount: credits, kind: "TOPUP", idempotencyKey: "bench-start", expiresAt: null });
  return team.id;
}

// ---------- the production build and server ----------

function hasUsageRoute(dir: string): boolean {
  try {
    const routes = JSON.parse(readFileSync(path.join(dir, ".next/app-path-routes-manifest.json"), "utf8")) as Record<string, string>;
    return existsSync(path.join(dir, ".next/BUILD_ID")) && "/api/v1/usage/route" in routes && "/api/v1/keys/current/route" in routes;
  } catch {
    return false;
  }
}

/** Copies the project into a temp folder (node_modules hard-linked), optionally with only the /api/v1 routes. */
function copyProject(apiOnly: boolean): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "creditdesk-bench-build-"));
  const skip = new Set(["node_modules", ".git", ".next", ".data", "test-results", "scratch", "playwright-report", "tsconfig.tsbuildinfo", "test", "e2e"]);
  if (apiOnly) skip.add("app");
  for (const entry of readdirSync(ROOT)) if (!skip.has(entry)) cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  if (apiOnly) {
    cpSync(path.join(ROOT, "app/api/v1"), path.join(dir, "app/api/v1"), { recursive: true });
    writeFileSync(
      path.join(dir, "app/layout.tsx"),
      'export default function RootLayout({ children }: { children: React.ReactNode }) {\n  return (\n    <html lang="en">\n      <body>{children}</body>\n    </html>\n  );\n}\n',
    );
  }
  // Turbopack refuses a node_modules symlinked from outside the project; hard links copy no data.
  const cp = spawnSync("cp", ["-al", path.join(ROOT, "node_modules"), path.join(dir, "node_modules")]);
  if (cp.status !== 0) throw new Error(`could not link node_modules into ${dir}: ${cp.stderr?.toString()}`);
  return dir;
}

function nextBuild(dir: string): string | null {
  const b = spawnSync(path.join(dir, "node_modules/.bin/next"), ["build"], {
    cwd: dir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    encoding: "utf8",
  });
  if (b.status === 0 && hasUsageRoute(dir)) return null;
  const out = `${b.stdout ?? ""}\n${b.stderr ?? ""}`;
  return (
    out
      .split("\n")
      .find((l) => /error/i.test(l))
      ?.trim() ?? `next build exited with ${b.status}`
  );
}

/**
 * The production build to measure: the checkout's own .next when it has the API routes; else a build of a copy in a
 * temp folder (so a benchmark never rewrites the .next a colleague's server may run from); and when the whole app does
 * not build, a copy with only the /api/v1 routes, said so in the report.
 */
function productionBuild(): { dir: string; kind: string; cleanup: () => void } {
  const given = process.env.BENCH_BUILD_DIR;
  if (given) {
    if (!hasUsageRoute(given)) throw new Error(`BENCH_BUILD_DIR=${given} has no production build with /api/v1/usage and /api/v1/keys/current`);
    return { dir: given, kind: `the build in ${given}`, cleanup: () => {} };
  }
  if (hasUsageRoute(ROOT)) return { dir: ROOT, kind: "the checkout's .next", cleanup: () => {} };
  log("no build with the /api/v1 routes in .next; building a copy of the app in a temp folder (next build)");
  const full = copyProject(false);
  const fullError = nextBuild(full);
  if (!fullError) return { dir: full, kind: "full app, built in a temp copy", cleanup: () => rmSync(full, { recursive: true, force: true }) };
  rmSync(full, { recursive: true, force: true });
  log(`the full app does not build (${fullError}); building the /api/v1 routes alone`);
  const api = copyProject(true);
  const apiError = nextBuild(api);
  if (apiError) {
    rmSync(api, { recursive: true, force: true });
    throw new Error(`next build failed: ${apiError}`);
  }
  return { dir: api, kind: `API routes only (the full app build failed: ${fullError})`, cleanup: () => rmSync(api, { recursive: true, force: true }) };
}

async function startServer(dir: string, databaseUrl: string): Promise<{ port: number; child: ChildProcess; stop: () => Promise<void>; output: () => string }> {
  const port = await freePort();
  // BENCH_CPU_PROF_DIR: the server writes a V8 CPU profile there when it stops (open it in Chrome's DevTools).
  const prof = process.env.BENCH_CPU_PROF_DIR;
  const nextBin = path.join(ROOT, "node_modules/next/dist/bin/next");
  const args = [
    ...(prof ? ["--cpu-prof", `--cpu-prof-dir=${prof}`] : []),
    ...(process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean),
    nextBin,
    "start",
    "-p",
    String(port),
    "-H",
    "127.0.0.1",
  ];
  const child = spawn(process.execPath, args, {
    cwd: dir,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      NEXT_TELEMETRY_DISABLED: "1",
      AUTH_SECRET: "bench-secret-bench-secret-bench-secret-0123",
      PORT: String(port),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr!.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill("SIGTERM");
    await new Promise((r) => {
      child.once("exit", r);
      setTimeout(r, 5000).unref();
    });
  };
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`next start exited:\n${output}`);
    const status = await request(port, "/api/v1/keys/current", null, null).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 401) return { port, child, stop, output: () => output };
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`next start did not answer within 60 s:\n${output}`);
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/**
 * POST with a JSON body, or GET when body is null. A kept-alive socket the server closed just as it was reused
 * (ECONNRESET before any answer) is retried once on a new one, as Node's documentation advises; both requests are
 * safe to repeat (a usage event carries its idempotency key).
 */
function request(port: number, urlPath: string, body: string | null, key: string | null, retried = false): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        path: urlPath,
        method: body === null ? "GET" : "POST",
        agent,
        headers: {
          ...(body === null ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(body) }),
          ...(key ? { authorization: `Bearer ${key}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on("error", reject);
      },
    );
    req.on("error", (e: NodeJS.ErrnoException) => {
      if (!retried && req.reusedSocket && e.code === "ECONNRESET") resolve(request(port, urlPath, body, key, true));
      else reject(e);
    });
    req.end(body ?? undefined);
  });
}

type UsageAnswer = { debited: number; duplicates: number; rejected: number; credits_debited: number };

type HttpPhases = { openRps: number; batched: PhaseResult; noop: PhaseResult; single: PhaseResult; noopOpen: PhaseResult; singleOpen: PhaseResult };

/**
 * The open loop's offered rate: BENCH_OPEN_RPS when set; else 800 a second, or 70% of what the no-op served closed
 * loop in the first round when that is less (on a machine busy with other work, an offered rate past what it can
 * serve measures only a growing queue, for both routes alike).
 */
function openRate(noopClosed: PhaseResult): number {
  if (OPEN_RPS !== null) return OPEN_RPS;
  return Math.max(10, Math.min(800, Math.floor((0.7 * noopClosed.calls) / noopClosed.seconds / 10) * 10));
}

async function httpPhases(port: number, key: string, keyId: string): Promise<HttpPhases> {
  // Warm up: the first requests compile and connect.
  for (let i = 0; i < 20; i++) {
    await request(port, "/api/v1/usage", JSON.stringify({ idempotency_key: `warm-${i}`, operation: "add", quantity: 1 }), key);
    await request(port, "/api/v1/keys/current", null, key);
  }
  // The authenticated no-op: the same key check and pipeline, no billing work.
  const noop = async (): Promise<{ status: Status; credits: bigint }> => {
    const r = await request(port, "/api/v1/keys/current", null, key);
    if (r.status !== 200 || (JSON.parse(r.body) as { id: string }).id !== keyId)
      throw new Error(`GET /api/v1/keys/current answered ${r.status}: ${r.body.slice(0, 500)}`);
    return { status: "duplicate", credits: 0n }; // counted as a call that charged nothing
  };
  const single = async (k: string, n: number): Promise<{ status: Status; credits: bigint }> => {
    const [op] = opFor(n);
    const r = await request(port, "/api/v1/usage", `{"idempotency_key":"${k}","operation":"${op}","quantity":${1 + (n % 3)}}`, key);
    if (r.status !== 200) throw new Error(`single POST answered ${r.status}: ${r.body.slice(0, 500)}`);
    const a = JSON.parse(r.body) as UsageAnswer;
    return a.debited ? { status: "debited", credits: BigInt(a.credits_debited) } : { status: "duplicate", credits: 0n };
  };
  const parts: Record<"noop" | "single" | "noopOpen" | "singleOpen", PhaseResult[]> = { noop: [], single: [], noopOpen: [], singleOpen: [] };
  const each = HTTP_SECONDS / ROUNDS;
  let rps = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    parts.noop.push(await closedLoop(`noop-r${round}`, HTTP_SINGLE_CLIENTS, each, noop, `GET /api/v1/keys/current, ${HTTP_SINGLE_CLIENTS} clients`));
    parts.single.push(await closedLoop(`single-r${round}`, HTTP_SINGLE_CLIENTS, each, single, `${HTTP_SINGLE_CLIENTS} clients, one event per request`));
    rps ||= openRate(parts.noop[0]!);
    parts.noopOpen.push(await openLoop(`noop-open-r${round}`, rps, each, noop, `GET /api/v1/keys/current at ${rps}/s offered`));
    parts.singleOpen.push(await openLoop(`single-open-r${round}`, rps, each, single, `one event per request at ${rps}/s offered`));
  }
  // Batched requests last: their bulk writes (a checkpoint, autovacuum of the new rows) must not land in the phases
  // that set single events beside the no-op, which write little and would pay for them.
  const batched = await closedLoop(
    "http-batch",
    HTTP_BATCH_CLIENTS,
    HTTP_SECONDS,
    async (k, n) => {
      let body = '{"events":[';
      for (let i = 0; i < EVENTS_PER_REQUEST; i++) {
        const [op] = opFor(i);
        body += `${i ? "," : ""}{"idempotency_key":"${k}-${i}","operation":"${op}","quantity":${1 + ((n + i) % 3)}}`;
      }
      body += "]}";
      const r = await request(port, "/api/v1/usage", body, key);
      if (r.status !== 200) throw new Error(`batched POST answered ${r.status}: ${r.body.slice(0, 500)}`);
      const a = JSON.parse(r.body) as UsageAnswer;
      return { status: a.debited ? "debited" : "duplicate", credits: BigInt(a.credits_debited), events: a.debited };
    },
    `${HTTP_BATCH_CLIENTS} clients × ${EVENTS_PER_REQUEST} events per request`,
  );
  return {
    openRps: rps,
    batched,
    noop: merge("http-noop", parts.noop),
    single: merge("http-single", parts.single),
    noopOpen: merge("http-noop-open", parts.noopOpen),
    singleOpen: merge("http-single-open", parts.singleOpen),
  };
}

// ---------- invariants ----------

async function checkTeam(db: Db, teamId: string, start: bigint, acceptedCredits: bigint, acceptedCount: number, floor: bigint): Promise<string[]> {
  const v = await verifyBalance({ db, teamId });
  const problems = [...v.problems];
  // What went in: the start, and any grant the app made on its own (the free plan's monthly credits, when the server
  // starts the team's cycle); every usage debit must be one the answers reported.
  const [put] = await db.$queryRawUnsafe<{ credits: bigint }[]>(
    `SELECT COALESCE(sum(amount), 0)::bigint AS credits FROM ledger_entries WHERE team_id = $1 AND kind <> 'USAGE'`,
    teamId,
  );
  const putIn = BigInt(put?.credits ?? 0n);
  if (putIn < start) problems.push(`only ${putIn} credits went in, less than the start ${start}`);
  if (v.balance !== putIn - acceptedCredits) problems.push(`balance ${v.balance} is not the ${putIn} credits put in minus accepted debits ${acceptedCredits}`);
  if (v.minUsageBalanceAfter !== null && v.minUsageBalanceAfter < floor)
    problems.push(`a debit left the balance at ${v.minUsageBalanceAfter}, below the floor ${floor}`);
  const usage = await db.ledgerEntry.count({ where: { teamId, kind: "USAGE" } });
  if (usage !== acceptedCount) problems.push(`${usage} usage entries for ${acceptedCount} accepted debits`);
  return problems;
}

/** Phases 1 to 4, the ledger without HTTP: batched recordUsage, the naive transaction, the unbatched function, the floor. */
async function corePhases(db: Db, rows: PhaseResult[], problems: string[]): Promise<{ batched: PhaseResult; baseline: PhaseResult; unbatched: PhaseResult }> {
  const batchCfg = billingConfig().debitBatch;
  // 1. Batched core calls: recordUsage from 64 callers on one hot team, through the process's debit batcher.
  const hot = await makeTeam(db, "hot", START);
  await setBudget({ db, teamId: hot, monthlyCapCents: 100_000_000_00n, hardCap: true }); // a hard cap that never binds: the check runs
  log(`batched: ${CALLERS} callers, ${SECONDS} s (window ${batchCfg.windowMs} ms, max ${batchCfg.maxBatch}, in flight ${batchCfg.maxInFlight})`);
  const batched = await closedLoop(
    "batched",
    CALLERS,
    SECONDS,
    async (key, n) => {
      const [op] = opFor(n);
      const [r] = await recordUsage({ db, teamId: hot, events: [{ idempotencyKey: key, operation: op, quantity: qtyFor(n) }] });
      return { status: r!.status, credits: r!.credits ?? 0n };
    },
    "recordUsage → debit batcher",
  );
  rows.push(batched);
  problems.push(...(await checkTeam(db, hot, START, batched.credits, batched.debited, 0n)).map((p) => `batched: ${p}`));

  // 2. The naive baseline: one Prisma interactive transaction per debit, same load.
  const base = await makeTeam(db, "naive", START);
  log(`naive baseline: ${CALLERS} callers, ${SECONDS} s`);
  const baseline = await closedLoop(
    "baseline",
    CALLERS,
    SECONDS,
    async (key, n) => {
      const [op, price] = opFor(n);
      const r = await naiveDebit(db, { teamId: base, idempotencyKey: `usage:${key}`, operation: op, quantity: qtyFor(n), amount: qtyFor(n) * price });
      return { status: r.status, credits: r.status === "debited" ? qtyFor(n) * price : 0n };
    },
    "Prisma $transaction per debit",
  );
  rows.push(baseline);
  problems.push(...(await checkTeam(db, base, START, baseline.credits, baseline.debited, 0n)).map((p) => `baseline: ${p}`));

  // 3. For reference: the same SQL function, one transaction per debit (what batching alone adds).
  const single = await makeTeam(db, "unbatched", START);
  const unbatchedSeconds = Math.max(3, Math.round(SECONDS / 2));
  log(`unbatched SQL function: ${CALLERS} callers, ${unbatchedSeconds} s`);
  const unbatched = await closedLoop(
    "unbatched",
    CALLERS,
    unbatchedSeconds,
    async (key, n) => {
      const [op, price] = opFor(n);
      const [o] = await applyDebits({
        db,
        teamId: single,
        debits: [{ idempotencyKey: `usage:${key}`, amount: qtyFor(n) * price, operation: op, quantity: qtyFor(n) }],
      });
      return { status: o!.status, credits: o!.status === "debited" ? o!.amount : 0n };
    },
    "cd_debit_batch with one debit per call",
  );
  rows.push(unbatched);
  problems.push(...(await checkTeam(db, single, START, unbatched.credits, unbatched.debited, 0n)).map((p) => `unbatched: ${p}`));

  // 4. The floor: 64 callers spend 7 credits at a time from 20,000 credits and a line of 800 until refused (+0.5 s).
  const floorTeam = await makeTeam(db, "floor", 20_000n);
  await setCreditLimit({ db, teamId: floorTeam, limitCents: 1n }); // 800 credits
  let refusedAt = 0;
  const floorRun = await closedLoop(
    "floor",
    CALLERS,
    4,
    async (key) => {
      try {
        const r = await debitCredits({ db, teamId: floorTeam, amount: 7n, idempotencyKey: `usage:${key}` });
        return { status: r.duplicate ? "duplicate" : "debited", credits: r.duplicate ? 0n : 7n };
      } catch (e) {
        if ((e as { code?: string }).code !== "INSUFFICIENT_CREDITS") throw e;
        refusedAt ||= performance.now();
        return { status: "rejected", credits: 0n };
      }
    },
    "stops at -800",
    () => refusedAt > 0 && performance.now() - refusedAt > 500,
  );
  rows.push(floorRun);
  const floorBalance = (await db.team.findUniqueOrThrow({ where: { id: floorTeam } })).balance;
  problems.push(...(await checkTeam(db, floorTeam, 20_000n, floorRun.credits, floorRun.debited, -800n)).map((p) => `floor: ${p}`));
  if (!(floorBalance >= -800n && floorBalance - 7n < -800n)) problems.push(`floor: final balance ${floorBalance} did not stop at the floor -800`);
  return { batched, baseline, unbatched };
}

/** What one durable commit costs on this disk right now: sequential one-row inserts, each its own transaction. */
async function commitLatency(db: Db, n = 300): Promise<{ p50Ms: number; p99Ms: number }> {
  await db.$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS bench_commit (n integer)`);
  const lat: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await db.$executeRawUnsafe(`INSERT INTO bench_commit VALUES ($1)`, i);
    lat.push(performance.now() - s);
  }
  lat.sort((a, b) => a - b);
  return { p50Ms: Number(pct(lat, 50).toFixed(2)), p99Ms: Number(pct(lat, 99).toFixed(2)) };
}

// ---------- main ----------

async function main() {
  const t0 = Date.now();
  const tmp = mkdtempSync(path.join(os.tmpdir(), "creditdesk-bench-"));
  chmodSync(tmp, 0o755); // initdb runs as the postgres user when we are root
  const cleanups: (() => Promise<unknown> | unknown)[] = [() => rmSync(tmp, { recursive: true, force: true })];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch((e: unknown) => log(String(e)));
  };
  process.on("SIGINT", () => void cleanup().then(() => process.exit(130)));
  try {
    log(`starting a durable embedded PostgreSQL in ${tmp}`);
    const pg = await startEmbeddedPostgres({ dataDir: path.join(tmp, "pg"), persistent: true });
    cleanups.push(() => pg.stop());
    await migrate(pg.url);
    const db = createDb(pg.url, { max: 16 });
    cleanups.push(() => db.$disconnect());
    const settings = await db.$queryRawUnsafe<{ name: string; setting: string }[]>(
      `SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'server_version')`,
    );
    const pgSettings = Object.fromEntries(settings.map((s) => [s.name, s.setting]));
    log(`PostgreSQL ${pgSettings.server_version}: fsync=${pgSettings.fsync} synchronous_commit=${pgSettings.synchronous_commit}`);
    const rows: PhaseResult[] = [];
    const problems: string[] = [];

    const batchCfg = billingConfig().debitBatch;
    const core = SKIP_CORE ? null : await corePhases(db, rows, problems);

    // 5. HTTP against the production build.
    let httpBatched: PhaseResult | null = null;
    let http: HttpPhases | null = null;
    let commit: { p50Ms: number; p99Ms: number } | null = null;
    let httpNote = "";
    let httpBuild: string | null = null;
    if (process.env.BENCH_SKIP_HTTP !== "1") {
      let serverOutput = () => "";
      try {
        const build = productionBuild();
        cleanups.push(build.cleanup);
        httpBuild = build.kind;
        const server = await startServer(build.dir, pg.url);
        cleanups.push(server.stop);
        serverOutput = server.output;
        const apiTeam = await makeTeam(db, "http", START);
        const { apiKey, secret } = await createApiKey({ db, teamId: apiTeam, name: "bench", role: "BILLING", createdByUserId: null });
        log(
          `HTTP: next start on port ${server.port}; in ${ROUNDS} rounds the no-op and single events closed loop and open loop at ${OPEN_RPS ?? "up to 800"}/s (${HTTP_SECONDS} s each in all), then batched (${HTTP_SECONDS} s)`,
        );
        http = await httpPhases(server.port, secret, apiKey.id);
        commit = await commitLatency(db);
        httpBatched = http.batched;
        rows.push(http.batched, http.noop, http.single, http.noopOpen, http.singleOpen);
        const warm = 20n; // warm-up events of 1 credit each
        const charged = [http.batched, http.single, http.singleOpen];
        const accepted = await db.ledgerEntry.count({ where: { teamId: apiTeam, kind: "USAGE" } });
        const expectedCount = charged.reduce((n, r) => n + r.events, 20);
        const expectedCredits = charged.reduce((n, r) => n + r.credits, warm);
        problems.push(...(await checkTeam(db, apiTeam, START, expectedCredits, expectedCount, 0n)).map((p) => `http: ${p}`));
        if (accepted !== expectedCount) problems.push(`http: ${accepted} entries, expected ${expectedCount}`);
        if (problems.some((p) => p.startsWith("http:"))) {
          // Which phase is off: the ledger's credits and entries by phase against what the answers said.
          const byPhase = await db.$queryRawUnsafe<{ phase: string; credits: bigint; entries: bigint }[]>(
            `SELECT substring(idempotency_key from '^usage:([a-z-]+?)(-r[0-9]+)?-[0-9]') AS phase, -sum(amount) AS credits, count(*) AS entries
               FROM ledger_entries WHERE team_id = $1 AND kind = 'USAGE' GROUP BY 1 ORDER BY 1`,
            apiTeam,
          );
          const said = { "http-batch": http.batched, single: http.single, "single-open": http.singleOpen };
          for (const b of byPhase) {
            const r = said[b.phase as keyof typeof said];
            problems.push(`http: ledger ${b.phase}: ${b.credits} credits in ${b.entries} entries; answers said ${r ? `${r.credits} in ${r.events}` : "-"}`);
          }
        }
      } catch (e) {
        httpNote = (e as Error).message.split("\n")[0]!;
        log(`HTTP phases skipped: ${(e as Error).message}\nthe server's last output:\n${serverOutput()}`);
      }
    } else httpNote = "skipped (BENCH_SKIP_HTTP=1)";

    // ---------- report ----------
    const fmt = (n: number, d = 0) => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
    const header = ["phase", "calls", "debited events", "dup calls", "rejected", "seconds", "per second", "p50 ms", "p99 ms", "how"];
    const table = rows.map((r) => {
      const sorted = [...r.lat].sort((a, b) => a - b);
      const rate = (r.name === "http-batch" ? r.events : r.calls) / r.seconds;
      return [
        r.name,
        fmt(r.calls),
        fmt(r.events),
        fmt(r.duplicate),
        fmt(r.rejected),
        fmt(r.seconds, 1),
        fmt(rate),
        fmt(pct(sorted, 50), 2),
        fmt(pct(sorted, 99), 2),
        r.note,
      ];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
    console.log(line(header));
    console.log(widths.map((w) => "-".repeat(w)).join("  "));
    for (const row of table) console.log(line(row));
    if (problems.length) console.log(`\ninvariant problems:\n  ${problems.join("\n  ")}`);
    if (httpBuild) console.log(`\nHTTP against: ${httpBuild}`);
    if (httpNote) console.log(`\nHTTP: ${httpNote}`);

    const perSecond = (r: PhaseResult | null | undefined) => (r ? Math.round(r.calls / r.seconds) : null);
    const ms = (r: PhaseResult | null | undefined, p: number) =>
      r
        ? Number(
            pct(
              [...r.lat].sort((a, b) => a - b),
              p,
            ).toFixed(2),
          )
        : null;
    const figures = (r: PhaseResult | undefined) => ({ perSecond: perSecond(r), p50Ms: ms(r, 50), p99Ms: ms(r, 99) });
    const ratio = (a: number | null, b: number | null, d = 2) => (a === null || b === null || b === 0 ? null : Number((a / b).toFixed(d)));
    // The targets (issue 13): single-event throughput ≥ 0.90 × the no-op's (closed loop: as fast as each can go), and
    // single-event p99 ≤ 1.2 × the no-op's at the same offered load (open loop).
    const singleThroughputRatio = ratio(perSecond(http?.single), perSecond(http?.noop));
    const singleP99Ratio = ratio(ms(http?.singleOpen, 99), ms(http?.noopOpen, 99));
    const result = {
      debitsPerSecond: core ? perSecond(core.batched) : null,
      baselinePerSecond: core ? perSecond(core.baseline) : null,
      ratio: core ? ratio(perSecond(core.batched), perSecond(core.baseline), 1) : null,
      unbatchedPerSecond: core ? perSecond(core.unbatched) : null,
      httpEventsPerSecond: httpBatched ? Math.round(httpBatched.events / httpBatched.seconds) : null,
      httpSingleRequestsPerSecond: perSecond(http?.single),
      p50Ms: ms(http?.single, 50),
      p99Ms: ms(http?.single, 99),
      noop: http ? { closed: figures(http.noop), open: figures(http.noopOpen) } : null,
      single: http ? { closed: figures(http.single), open: figures(http.singleOpen) } : null,
      singleThroughputRatio,
      singleP99Ratio,
      openThroughputRatio: ratio(perSecond(http?.singleOpen), perSecond(http?.noopOpen)),
      // A single event waits for a durable commit the no-op does not make: on a disk shared with other work, this is
      // most of the difference in latency.
      commitMs: commit,
      targetsMet: singleThroughputRatio !== null && singleP99Ratio !== null && singleThroughputRatio >= 0.9 && singleP99Ratio <= 1.2,
      invariantsHeld: problems.length === 0,
      httpBuild,
      callers: CALLERS,
      seconds: SECONDS,
      httpSeconds: HTTP_SECONDS,
      httpClients: HTTP_SINGLE_CLIENTS,
      openRps: http?.openRps ?? OPEN_RPS,
      rounds: ROUNDS,
      loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
      durable: pgSettings.fsync === "on" && pgSettings.synchronous_commit === "on",
      cores: os.cpus().length,
      batcher: batchCfg,
      totalSeconds: Math.round((Date.now() - t0) / 1000),
    };
    console.log(JSON.stringify(result));
    await cleanup();
    process.exit(problems.length === 0 ? 0 : 1);
  } catch (e) {
    log((e as Error).stack ?? String(e));
    await cleanup();
    process.exit(2);
  }
}

void main();
