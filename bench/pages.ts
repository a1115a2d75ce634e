// npm run bench:pages (or npx tsx bench/pages.ts) — page speed with a long history. Seeds one team with 1,000,000
// ledger entries over a year (INSERT … SELECT generate_series) and one with 1,000, then times
//   1. the loaders the Overview and Invoices pages call (in-process, warm, BENCH_RUNS each);
//   2. the server render of both pages through the built app (`next start`, a signed-in cookie), when .next exists;
//   3. the CSV export of the whole 1M-entry history: peak RSS of a process streaming it, and over HTTP.
// Prints a table, then one JSON line. Knobs: BENCH_ENTRIES (1000000), BENCH_RUNS (30), BENCH_SKIP_HTTP=1.
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { encode } from "next-auth/jwt";
import { getBillingDetails } from "../lib/billing/billing-details/get-billing-details";
import { ledgerCsvStream } from "../lib/billing/exports/ledger-csv-stream";
import { listInvoices } from "../lib/billing/invoices/list-invoices";
import { listUninvoicedPayments } from "../lib/billing/invoices/list-uninvoiced-payments";
import { getOverview } from "../lib/billing/overview/get-overview";
import { createDb, type Db } from "../lib/db/client";
import { freePort, startEmbeddedPostgres } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const ROOT = process.cwd();
/** V8 old-space limit for the CSV child (MB). */
const CSV_HEAP_MB = Number(process.env.BENCH_CSV_HEAP_MB ?? 64);
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const DAY = 86_400_000;

// ---- child mode: stream a team's whole ledger as CSV into a byte counter, report peak RSS ----
if (process.argv[2] === "--csv-child") {
  const [url, teamId] = process.argv.slice(3) as [string, string];
  const db = createDb(url, { max: 2 });
  // Warm the client (Prisma loads its query engine on first use) so the baseline is the process, not the engine.
  await db.$queryRawUnsafe("SELECT 1");
  await ledgerCsvStream({ db, teamId, from: new Date("2000-01-01T00:00:00Z"), toExclusive: new Date("2000-01-02T00:00:00Z") })
    .getReader()
    .read();
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  let bytes = 0;
  let lines = 0;
  const reader = ledgerCsvStream({ db, teamId, from: new Date("2000-01-01T00:00:00Z"), toExclusive: new Date(Date.now() + DAY) }).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    for (const b of value) if (b === 10) lines++;
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  clearInterval(timer);
  process.stdout.write(
    JSON.stringify({ seconds: (performance.now() - t0) / 1000, bytes, lines, baseRssMb: base / 2 ** 20, peakRssMb: peak / 2 ** 20, heapLimitMb: CSV_HEAP_MB }),
  );
  await db.$disconnect();
  process.exit(0);
}

type Stat = { median: number; p95: number; min: number };
const stat = (ms: number[]): Stat => {
  const s = [...ms].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]!, min: s[0]! };
};
async function time(runs: number, fn: () => Promise<unknown>): Promise<Stat> {
  for (let i = 0; i < 3; i++) await fn(); // warm: prepared plans, connection pool, caches
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return stat(ms);
}

/** A team on Pro for the current month with `n` ledger entries spread over `days` up to now: a top-up every 1,000th. */
async function seedTeam(db: Db, slug: string, n: number, days: number, ownerId: string): Promise<string> {
  const team = await db.team.create({ data: { name: slug, slug, memberships: { create: { userId: ownerId, role: "OWNER" } } } });
  const now = Date.now();
  const start = new Date(now - days * DAY);
  const stepMs = (days * DAY) / n;
  const t0 = performance.now();
  await db.$executeRawUnsafe(
    `INSERT INTO payments (id, team_id, kind, status, method, amount_cents, credits, idempotency_key, succeeded_at, created_at, updated_at)
     SELECT 'pay_' || $2 || lpad(i::text, 9, '0'), $1, 'TOPUP', 'SUCCEEDED', 'card', 500, 400000, 'bench:' || i, ts, ts, ts
       FROM (SELECT i, $3::timestamptz + make_interval(secs => i * $4::double precision / 1000) AS ts FROM generate_series(1, $5::int) i) s WHERE i % 1000 = 1`,
    team.id,
    slug,
    start,
    stepMs,
    n,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO ledger_entries (id, team_id, kind, amount, balance_after, idempotency_key, operation, quantity, payment_id, occurred_at, created_at,
                                 history_type, team_seq, type_seq)
     SELECT 'le_' || $2 || lpad(i::text, 9, '0'), $1, CASE WHEN top THEN 'TOPUP' ELSE 'USAGE' END::"LedgerKind", amt, sum(amt) OVER (ORDER BY i),
            'bench:' || i, CASE WHEN top THEN NULL ELSE op END, CASE WHEN top THEN NULL ELSE qty END,
            CASE WHEN top THEN 'pay_' || $2 || lpad(i::text, 9, '0') END, ts, ts,
            CASE WHEN top THEN 'topup' ELSE 'usage' END, i, row_number() OVER (PARTITION BY top ORDER BY i)
       FROM (SELECT i, i % 1000 = 1 AS top, (ARRAY['add','multiply','matmul','bootstrap','infer_7b'])[1 + i % 5] AS op, (1 + i % 7)::bigint AS qty,
                    CASE WHEN i % 1000 = 1 THEN 400000 ELSE -((1 + i % 7) * (ARRAY[1,5,20,50,100])[1 + i % 5]) END::bigint AS amt,
                    $3::timestamptz + make_interval(secs => i * $4::double precision / 1000) AS ts
               FROM generate_series(1, $5::int) i) s
      ORDER BY i`,
    team.id,
    slug,
    start,
    stepMs,
    n,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO usage_rollups (team_id, day, operation, quantity, credits, events)
     SELECT team_id, (created_at AT TIME ZONE 'UTC')::date, operation, sum(quantity), -sum(amount), count(*) FROM ledger_entries WHERE team_id = $1 AND kind = 'USAGE' GROUP BY 1, 2, 3`,
    team.id,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO spend_counters (team_id, scope, month, credits)
     SELECT team_id, 'team', to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM'), -sum(amount) FROM ledger_entries WHERE team_id = $1 AND kind = 'USAGE' GROUP BY 1, 3`,
    team.id,
  );
  const [last] = await db.$queryRawUnsafe<{ balance_after: bigint }[]>(
    `SELECT balance_after FROM ledger_entries WHERE team_id = $1 ORDER BY created_at DESC, seq DESC LIMIT 1`,
    team.id,
  );
  const balance = BigInt(last?.balance_after ?? 0n);
  await db.team.update({ where: { id: team.id }, data: { balance } });
  if (balance > 0n) await db.creditGrant.create({ data: { teamId: team.id, source: "TOPUP", amount: balance, remaining: balance } });
  // Half the top-ups have an invoice, plus a Stripe subscription invoice a month.
  await db.$executeRawUnsafe(
    `INSERT INTO invoices (id, team_id, number, source, status, amount_cents, payment_id, period_start, period_end, paid_at, created_at, lines)
     SELECT 'inv_' || p.id, p.team_id, 'CD-' || $2 || '-' || p.n, 'CREDITDESK', 'PAID', p.amount_cents, p.id, p.created_at, p.created_at, p.created_at, p.created_at,
            '[{"description":"Top-up","quantity":1,"amountCents":"500"}]'::jsonb
       FROM (SELECT *, row_number() OVER (ORDER BY created_at) AS n FROM payments WHERE team_id = $1) p WHERE p.n % 2 = 0`,
    team.id,
    slug,
  );
  const months = Math.max(1, Math.round(days / 30));
  await db.$executeRawUnsafe(
    `INSERT INTO invoices (id, team_id, number, source, status, amount_cents, stripe_invoice_id, period_start, period_end, paid_at, created_at)
     SELECT 'inv_s' || $2 || m, $1, 'STRIPE-' || $2 || '-' || m, 'STRIPE', 'PAID', 4900, 'in_' || $2 || m, now() - make_interval(days => 30 * m), now() - make_interval(days => 30 * (m - 1)),
            now() - make_interval(days => 30 * m), now() - make_interval(days => 30 * m)
       FROM generate_series(1, $3::int) m`,
    team.id,
    slug,
    months,
  );
  const monthStart = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1));
  await db.subscription.create({
    data: {
      teamId: team.id,
      planId: "pro",
      currentPeriodStart: monthStart,
      currentPeriodEnd: new Date(Date.UTC(monthStart.getUTCFullYear(), monthStart.getUTCMonth() + 1, 1)),
    },
  });
  await db.budget.create({ data: { teamId: team.id, monthlyCapCents: 100_000_00n, monthlyCapCredits: 8_000_000_000n } });
  for (const table of ["ledger_entries", "usage_rollups", "payments", "invoices", "credit_grants"]) await db.$executeRawUnsafe(`ANALYZE ${table}`);
  log(`seeded ${slug}: ${n.toLocaleString("en-US")} entries over ${days} days in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return team.id;
}

async function waitFor(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer in ${ms} ms`);
}

/** Peak RSS (MB) of a process and its children, sampled from /proc while `fn` runs. */
async function sampleRss<T>(pid: number, fn: () => Promise<T>): Promise<{ result: T; peakMb: number; beforeMb: number }> {
  const read = () => {
    let kb = 0;
    const walk = (p: number) => {
      try {
        const status = readFileSync(`/proc/${p}/status`, "utf8");
        kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
        const kids = readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
        for (const k of kids) walk(Number(k));
      } catch {
        /* gone */
      }
    };
    walk(pid);
    return kb / 1024;
  };
  const beforeMb = read();
  let peakMb = beforeMb;
  const timer = setInterval(() => (peakMb = Math.max(peakMb, read())), 25);
  try {
    return { result: await fn(), peakMb, beforeMb };
  } finally {
    clearInterval(timer);
  }
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "creditdesk-bench-pages-"));
  chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), persistent: false, database: "bench" });
  const cleanup: (() => Promise<unknown>)[] = [async () => pg.stop(), async () => rmSync(dir, { recursive: true, force: true })];
  try {
    await migrate(pg.url);
    const db = createDb(pg.url, { max: 8 });
    const owner = await db.user.create({ data: { email: "bench@example.test", name: "Bench" } });
    const big = await seedTeam(db, "big", ENTRIES, 365, owner.id);
    const small = await seedTeam(db, "small", 1000, 30, owner.id);

    const rows: { what: string; team: string; stat: Stat }[] = [];
    for (const [team, id] of [
      ["1,000", small],
      [ENTRIES.toLocaleString("en-US"), big],
    ] as const) {
      rows.push({
        what: "Overview loader (getOverview)",
        team,
        stat: await time(RUNS, () => getOverview({ db, actor: { kind: "user", userId: "bench", teamId: id, role: "OWNER", isPlatformAdmin: false } })),
      });
      rows.push({
        what: "Invoices loaders (list, uninvoiced, details)",
        team,
        stat: await time(RUNS, () =>
          Promise.all([
            listInvoices({ db, teamId: id, limit: 25 }),
            listUninvoicedPayments({ db, teamId: id, limit: 10 }),
            getBillingDetails({ db, teamId: id }),
          ]),
        ),
      });
    }

    // The CSV export of the whole history, in a fresh process so its peak RSS is the export's.
    log("streaming the whole history as CSV in a child process");
    const csv = await new Promise<{ seconds: number; bytes: number; lines: number; baseRssMb: number; peakRssMb: number; heapLimitMb: number }>(
      (resolve, reject) => {
        // A small V8 heap: the export must finish within it, which it only can if memory does not grow with history.
        const child = spawn(
          process.execPath,
          [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(ROOT, "bench/pages.ts"), "--csv-child", pg.url, big],
          {
            stdio: ["ignore", "pipe", "inherit"],
            env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --max-old-space-size=${CSV_HEAP_MB}`.trim() },
          },
        );
        let out = "";
        child.stdout.on("data", (c: Buffer) => (out += c.toString()));
        child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`csv child exited ${code}`))));
      },
    );

    let http: { page: string; team: string; stat: Stat }[] = [];
    let httpCsv: { seconds: number; bytes: number; serverPeakMb: number; serverBeforeMb: number } | null = null;
    if (!process.env.BENCH_SKIP_HTTP && existsSync(path.join(ROOT, ".next/BUILD_ID"))) {
      const port = await freePort();
      const secret = "bench-secret-bench-secret-bench-secret-0123";
      log(`starting the built app on :${port}`);
      const server = spawn(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port)], {
        cwd: ROOT,
        env: {
          ...process.env,
          NODE_ENV: "production",
          DATABASE_URL: pg.url,
          AUTH_SECRET: secret,
          AUTH_URL: `http://localhost:${port}`,
          APP_URL: `http://localhost:${port}`,
          NEXT_TELEMETRY_DISABLED: "1",
          CREDITDESK_DEMO: "",
          STRIPE_SECRET_KEY: "",
        },
        stdio: ["ignore", "ignore", "inherit"],
      });
      cleanup.unshift(async () => server.kill("SIGTERM"));
      await waitFor(`http://localhost:${port}/signin`, 60_000);
      const jwt = await encode({
        token: { uid: owner.id, sub: owner.id, email: owner.email, name: owner.name },
        secret,
        salt: "authjs.session-token",
        maxAge: 3600,
      });
      const get = async (p: string) => {
        const r = await fetch(`http://localhost:${port}${p}`, { headers: { cookie: `authjs.session-token=${jwt}` }, redirect: "manual" });
        const body = await r.text();
        if (r.status !== 200) throw new Error(`${p}: ${r.status}`);
        return body;
      };
      const overviewBody = await get("/t/big/overview");
      if (!overviewBody.includes('data-testid="cycle-total"')) throw new Error("the overview did not render its figures");
      for (const [team, slug] of [
        ["1,000", "small"],
        [ENTRIES.toLocaleString("en-US"), "big"],
      ] as const) {
        http.push({ page: "GET /t/<team>/overview", team, stat: await time(Math.min(RUNS, 20), () => get(`/t/${slug}/overview`)) });
        http.push({ page: "GET /t/<team>/invoices", team, stat: await time(Math.min(RUNS, 20), () => get(`/t/${slug}/invoices`)) });
      }
      const t0 = performance.now();
      const sampled = await sampleRss(server.pid!, async () => {
        const from = new Date(Date.now() - 370 * DAY).toISOString().slice(0, 10);
        const r = await fetch(`http://localhost:${port}/api/teams/big/ledger/export?from=${from}&to=${new Date().toISOString().slice(0, 10)}`, {
          headers: { cookie: `authjs.session-token=${jwt}` },
        });
        if (r.status !== 200) throw new Error(`export: ${r.status} ${await r.text()}`);
        let bytes = 0;
        for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
        return bytes;
      });
      httpCsv = { seconds: (performance.now() - t0) / 1000, bytes: sampled.result, serverPeakMb: sampled.peakMb, serverBeforeMb: sampled.beforeMb };
    } else {
      log("skipping the HTTP render (no .next build, or BENCH_SKIP_HTTP)");
      http = [];
    }

    const f = (n: number) => n.toFixed(1).padStart(7);
    console.log(`\nPage data with a long history (${RUNS} warm runs each; ms)`);
    console.log("what                                          entries      median    p95     min");
    for (const r of rows) console.log(`${r.what.padEnd(46)}${r.team.padStart(9)}  ${f(r.stat.median)} ${f(r.stat.p95)} ${f(r.stat.min)}`);
    for (const r of http) console.log(`${`server render ${r.page}`.padEnd(46)}${r.team.padStart(9)}  ${f(r.stat.median)} ${f(r.stat.p95)} ${f(r.stat.min)}`);
    console.log(
      `\nCSV export of ${ENTRIES.toLocaleString("en-US")} entries (streamed, in a fresh process): ${csv.lines.toLocaleString("en-US")} lines, ${(csv.bytes / 2 ** 20).toFixed(1)} MB in ${csv.seconds.toFixed(1)} s with a ${csv.heapLimitMb} MB V8 heap limit; RSS ${csv.baseRssMb.toFixed(0)} MB before, ${csv.peakRssMb.toFixed(0)} MB peak`,
    );
    if (httpCsv)
      console.log(
        `CSV export over HTTP: ${(httpCsv.bytes / 2 ** 20).toFixed(1)} MB in ${httpCsv.seconds.toFixed(1)} s; server RSS ${httpCsv.serverBeforeMb.toFixed(0)} MB before, ${httpCsv.serverPeakMb.toFixed(0)} MB peak`,
      );
    console.log(JSON.stringify({ entries: ENTRIES, loaders: rows, http, csv, httpCsv }));
    await db.$disconnect();
  } finally {
    for (const c of cleanup) await c().catch(() => {});
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
