// npm run bench:history (or npx tsx bench/history.ts) — billing history pages with a long history (issue 13: "deep
// pages stay fast"). Seeds one team with 1,000,000 ledger entries over a year (INSERT … SELECT generate_series, with
// the history positions the scheme needs: dense team_seq and per-type type_seq in created_at order), plus a few late
// entries written the app's way (the insert trigger), then times, for each filter (none, type=usage, type=topup, a date
// range, type and dates):
//   page 1, the deepest page (1,000,000 rows deep when the filter matches that many, else its last page), and `total`
// through listBillings (what GET /api/v3/account/billings calls), interleaved, median of BENCH_RUNS; and the same pages
// with the naive OFFSET and COUNT(*) for contrast (BENCH_NAIVE_RUNS). Also page 1 and the deepest page through the route
// handler itself (API key, parsing, JSON). Prints a table, then one JSON line; exits 1 when a ratio passes the bound (2×).
// Knobs: BENCH_ENTRIES (1000000), BENCH_RUNS (31), BENCH_NAIVE_RUNS (5), BENCH_PAGE_SIZE (20).
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createApiKey } from "../lib/billing/api-keys/create-api-key";
import type { HistoryType } from "../lib/billing/history/history-types";
import { type BillingsFilter, listBillings } from "../lib/billing/history/list-billings";
import { createDb, type Db } from "../lib/db/client";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 31);
const NAIVE_RUNS = Number(process.env.BENCH_NAIVE_RUNS ?? 5);
const PAGE_SIZE = Number(process.env.BENCH_PAGE_SIZE ?? 20);
const DEPTH = 1_000_000;
const BOUND = 2;
const LATE = 10;
const DAY = 86_400_000;
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const median = (ms: number[]) => [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)]!;

/**
 * One team with `n` entries spread over `days` up to now: a top-up (with its card payment) every 1,000th, a plan grant
 * every 5,000th, the rest usage. Positions as the ledger writers give them: team_seq in order, type_seq per type.
 */
async function seedTeam(db: Db, n: number, days: number): Promise<{ teamId: string; start: Date }> {
  const owner = await db.user.create({ data: { email: "bench@example.test", name: "Bench" } });
  const team = await db.team.create({ data: { name: "big", slug: "big", memberships: { create: { userId: owner.id, role: "OWNER" } } } });
  const start = new Date(Date.now() - days * DAY);
  const stepMs = (days * DAY) / n;
  const t0 = performance.now();
  await db.$executeRawUnsafe(
    `INSERT INTO payments (id, team_id, kind, status, method, amount_cents, credits, idempotency_key, succeeded_at, created_at, updated_at)
     SELECT 'pay_' || lpad(i::text, 9, '0'), $1, 'TOPUP', 'SUCCEEDED', 'card', 500, 400000, 'bench:' || i, ts, ts, ts
       FROM (SELECT i, $2::timestamptz + make_interval(secs => i * $3::double precision / 1000) AS ts FROM generate_series(1, $4::int) i) s WHERE i % 1000 = 1`,
    team.id,
    start,
    stepMs,
    n,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO ledger_entries (id, team_id, kind, amount, balance_after, idempotency_key, operation, quantity, payment_id, occurred_at, created_at,
                                 history_type, team_seq, type_seq)
     SELECT 'le_' || lpad(i::text, 9, '0'), $1, kind::"LedgerKind", amt, sum(amt) OVER (ORDER BY i), 'bench:' || i,
            CASE WHEN kind = 'USAGE' THEN op END, CASE WHEN kind = 'USAGE' THEN qty END,
            CASE WHEN kind = 'TOPUP' THEN 'pay_' || lpad(i::text, 9, '0') END, ts, ts,
            cd_history_type(kind::"LedgerKind"), i, row_number() OVER (PARTITION BY kind ORDER BY i)
       FROM (SELECT i, CASE WHEN i % 1000 = 1 THEN 'TOPUP' WHEN i % 5000 = 2 THEN 'PLAN_GRANT' ELSE 'USAGE' END AS kind,
                    (ARRAY['add','multiply','matmul','bootstrap','infer_7b'])[1 + i % 5] AS op, (1 + i % 7)::bigint AS qty,
                    CASE WHEN i % 1000 = 1 THEN 400000 WHEN i % 5000 = 2 THEN 100000
                         ELSE -((1 + i % 7) * (ARRAY[1,5,20,50,100])[1 + i % 5]) END::bigint AS amt,
                    $2::timestamptz + make_interval(secs => i * $3::double precision / 1000) AS ts
               FROM generate_series(1, $4::int) i) s
      ORDER BY i`,
    team.id,
    start,
    stepMs,
    n,
  );
  // A few entries whose writer's clock was behind (the trigger numbers them and marks them late).
  for (let i = 0; i < LATE; i++) {
    await db.ledgerEntry.create({
      data: {
        teamId: team.id,
        kind: "USAGE",
        amount: -1n,
        balanceAfter: 0n,
        idempotencyKey: `late:${i}`,
        operation: "add",
        createdAt: new Date(start.getTime() + (i + 1) * 30 * DAY),
      },
    });
  }
  await db.$executeRawUnsafe(`ANALYZE ledger_entries`);
  await db.$executeRawUnsafe(`ANALYZE payments`);
  log(`seeded ${n.toLocaleString("en-US")} entries + ${LATE} late ones in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { teamId: team.id, start };
}

type Scenario = { name: string; type: HistoryType | null; from: Date | null; to: Date | null };

async function naive(db: Db, teamId: string, s: Scenario, offset: number): Promise<{ page: number; count: number }> {
  const where = `team_id = $1 AND ($2::text IS NULL OR history_type = $2) AND ($3::timestamptz IS NULL OR created_at >= $3) AND ($4::timestamptz IS NULL OR created_at < $4)`;
  const args = [teamId, s.type, s.from, s.to] as const;
  let t = performance.now();
  await db.$queryRawUnsafe(
    `SELECT id, amount, created_at FROM ledger_entries WHERE ${where} ORDER BY team_seq DESC OFFSET $5 LIMIT $6`,
    ...args,
    offset,
    PAGE_SIZE,
  );
  const page = performance.now() - t;
  t = performance.now();
  await db.$queryRawUnsafe(`SELECT count(*) FROM ledger_entries WHERE ${where}`, ...args);
  return { page, count: performance.now() - t };
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "creditdesk-bench-history-"));
  chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), persistent: false, database: "bench" });
  try {
    await migrate(pg.url);
    process.env.DATABASE_URL = pg.url; // the route handler's db()
    const db = createDb(pg.url, { max: 4 });
    const { teamId, start } = await seedTeam(db, ENTRIES, 365);
    const owner = await db.membership.findFirstOrThrow({ where: { teamId }, select: { userId: true } });
    const { secret } = await createApiKey({ db, teamId, name: "bench", role: "READ_ONLY", createdByUserId: owner.userId });
    const { GET } = await import("../app/api/v3/account/billings/route");
    const { GET: getBalance } = await import("../app/api/v3/account/balance/route");

    // Whole UTC days, as the API's start_date and end_date give them.
    const day = (d: number) => new Date(Math.floor(start.getTime() / DAY) * DAY + d * DAY);
    const scenarios: Scenario[] = [
      { name: "all", type: null, from: null, to: null },
      { name: "type=usage", type: "usage", from: null, to: null },
      { name: "type=topup", type: "topup", from: null, to: null },
      { name: "dates", type: null, from: day(20), to: day(350) },
      { name: "type=usage+dates", type: "usage", from: day(20), to: day(350) },
    ];

    const results = [];
    for (const s of scenarios) {
      const filter: BillingsFilter = { type: s.type, from: s.from, to: s.to };
      const { total } = await listBillings({ db, teamId, page: 1, pageSize: PAGE_SIZE, filter });
      const lastPage = Math.max(1, Math.ceil(total / PAGE_SIZE));
      const deepPage = Math.min(lastPage, Math.floor(DEPTH / PAGE_SIZE) + 1);
      const pastEnd = lastPage + 1;
      const call = (page: number) => () => listBillings({ db, teamId, page, pageSize: PAGE_SIZE, filter });
      const fns = { page1: call(1), deep: call(deepPage), total: call(pastEnd) };
      for (let i = 0; i < 3; i++) for (const f of Object.values(fns)) await f();
      const ms: Record<keyof typeof fns, number[]> = { page1: [], deep: [], total: [] };
      for (let i = 0; i < RUNS; i++) {
        for (const [k, f] of Object.entries(fns) as [keyof typeof fns, () => Promise<unknown>][]) {
          const t = performance.now();
          await f();
          ms[k].push(performance.now() - t);
        }
      }
      const deepItems = (await fns.deep()).items.length;
      const naiveMs = { page1: [] as number[], deep: [] as number[], count: [] as number[] };
      for (let i = 0; i < NAIVE_RUNS; i++) {
        naiveMs.page1.push((await naive(db, teamId, s, 0)).page);
        const d = await naive(db, teamId, s, (deepPage - 1) * PAGE_SIZE);
        naiveMs.deep.push(d.page);
        naiveMs.count.push(d.count);
      }
      const r = {
        filter: s.name,
        total,
        deep_page: deepPage,
        deep_rows: (deepPage - 1) * PAGE_SIZE,
        deep_items: deepItems,
        page1_ms: median(ms.page1),
        deep_ms: median(ms.deep),
        total_ms: median(ms.total),
        deep_ratio: median(ms.deep) / median(ms.page1),
        total_ratio: median(ms.total) / median(ms.page1),
        naive_page1_ms: median(naiveMs.page1),
        naive_deep_ms: median(naiveMs.deep),
        naive_count_ms: median(naiveMs.count),
      };
      results.push(r);
      log(`${s.name}: page 1 ${r.page1_ms.toFixed(2)} ms, page ${deepPage} ${r.deep_ms.toFixed(2)} ms, total ${r.total_ms.toFixed(2)} ms`);
    }

    // Through the route handler: API key, query parsing, dollars, JSON.
    const req = (q: string) => new Request(`http://localhost/api/v3/account/billings${q}`, { headers: { authorization: `Bearer ${secret}` } });
    const deepAll = results[0]!.deep_page;
    const balanceReq = () => new Request("http://localhost/api/v3/account/balance", { headers: { authorization: `Bearer ${secret}` } });
    const routeFns = {
      page1: () => GET(req(`?page_size=${PAGE_SIZE}`)),
      deep: () => GET(req(`?page_size=${PAGE_SIZE}&page=${deepAll}`)),
      balance: () => getBalance(balanceReq()),
    };
    const first = await (await routeFns.deep()).json();
    if (first.code !== 200 || first.data.items.length === 0) throw new Error(`the route answered ${JSON.stringify(first).slice(0, 300)}`);
    for (let i = 0; i < 3; i++) for (const f of Object.values(routeFns)) await (await f()).text();
    const routeMs = { page1: [] as number[], deep: [] as number[], balance: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      for (const [k, f] of Object.entries(routeFns) as [keyof typeof routeMs, () => Promise<Response>][]) {
        const t = performance.now();
        await (await f()).text();
        routeMs[k].push(performance.now() - t);
      }
    }
    // The balance route is the same pipeline (key, envelope) around a one-row read: what the pipeline itself costs.
    const route = {
      balance_ms: median(routeMs.balance),
      page1_ms: median(routeMs.page1),
      deep_ms: median(routeMs.deep),
      deep_page: deepAll,
      deep_ratio: median(routeMs.deep) / median(routeMs.page1),
    };

    const f = (n: number) => n.toFixed(2).padStart(8);
    console.log(`\nBilling history with ${ENTRIES.toLocaleString("en-US")} entries, page_size ${PAGE_SIZE} (median of ${RUNS}; naive: ${NAIVE_RUNS}; ms)`);
    console.log("filter              total  deep page   page 1     deep    total  deep/p1  total/p1 | naive p1  naive deep  naive count");
    for (const r of results) {
      console.log(
        `${r.filter.padEnd(17)}${String(r.total).padStart(8)}${String(r.deep_page).padStart(11)}${f(r.page1_ms)} ${f(r.deep_ms)} ${f(r.total_ms)} ${f(r.deep_ratio)}  ${f(r.total_ratio)} | ${f(r.naive_page1_ms)} ${f(r.naive_deep_ms).padStart(11)} ${f(r.naive_count_ms).padStart(12)}`,
      );
    }
    console.log(
      `route handler (all)  page 1 ${route.page1_ms.toFixed(2)} ms, page ${route.deep_page} ${route.deep_ms.toFixed(2)} ms, ratio ${route.deep_ratio.toFixed(2)}; GET /api/v3/account/balance (the same pipeline) ${route.balance_ms.toFixed(2)} ms`,
    );
    const maxRatio = Math.max(...results.flatMap((r) => [r.deep_ratio, r.total_ratio]), route.deep_ratio);
    const ok = maxRatio <= BOUND;
    const round = (n: number) => Math.round(n * 1000) / 1000;
    console.log(
      JSON.stringify({
        entries: ENTRIES,
        late_entries: LATE,
        page_size: PAGE_SIZE,
        runs: RUNS,
        bound: BOUND,
        max_ratio: round(maxRatio),
        ok,
        filters: results.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "number" ? round(v) : v]))),
        route: Object.fromEntries(Object.entries(route).map(([k, v]) => [k, round(v)])),
      }),
    );
    await db.$disconnect();
    if (!ok) process.exitCode = 1;
  } finally {
    await pg.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
