import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { createApiKey } from "../lib/billing/api-keys/create-api-key";
import { setBudget } from "../lib/billing/budgets/set-budget";
import { creditCredits } from "../lib/billing/ledger/credit-credits";
import { verifyBalance } from "../lib/billing/ledger/verify-balance";
import { grantFreeAllowance } from "../lib/billing/subscriptions/grant-free-allowance";
import { freePort } from "../lib/db/embedded";
import { APP_JOB } from "../lib/jobs/app-jobs";
import { createTeam } from "../lib/teams/create-team";
import { e2eDataDir, emulatorPort, port as portA, smtpPort } from "../playwright.config";
import { startReceiver } from "../test/billing/webhooks/receiver";
import { e2eDatabaseUrl, e2eDb } from "./db";

// Two app instances on one PostgreSQL: the e2e server (A) and a second `next start` on the same build (B), joined to
// A's database with the same AUTH_SECRET, Stripe and SMTP settings, as a load balancer's pool would run them.
// Shows: debits exact across both (each idempotency key charged once, even sent to both at once), each scheduled
// background job run once per tick for both instances together (pg-boss's clock is in the database), and each webhook
// event delivered once.

const base = (port: number) => `http://localhost:${port}`;
let a = "";
let b = "";
let instanceB: ChildProcess | undefined;
let startedAt: Date;
const SECRET = "whsec-e2e-0123456789abcdefghijklmnopqrstuvwxyz";
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let webhookTeamId = "";

async function startSecondInstance(): Promise<string> {
  const port = await freePort();
  const url = base(port);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    CREDITDESK_DEMO: "1",
    DATABASE_URL: e2eDatabaseUrl(),
    AUTH_SECRET: readFileSync(path.resolve(e2eDataDir, "auth-secret"), "utf8").trim(),
    APP_URL: url,
    AUTH_URL: url,
    STRIPE_SECRET_KEY: "sk_test_emulator",
    STRIPE_PUBLISHABLE_KEY: "pk_test_emulator",
    // B receives no Stripe webhooks here (the emulator sends them to A); a secret of its own keeps the settings whole.
    STRIPE_WEBHOOK_SECRET: `whsec_${randomBytes(24).toString("hex")}`,
    STRIPE_API_BASE: `http://127.0.0.1:${emulatorPort}`,
    EMAIL_SERVER: `smtp://127.0.0.1:${smtpPort}`,
    EMAIL_FROM: "Creditdesk <billing@creditdesk.test>",
    WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: "1",
  };
  const child = spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "start", "-p", String(port)], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  instanceB = child;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the second instance exited (${child.exitCode}):\n${output}`);
    const ok = await fetch(`${url}/signin`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return url;
    if (Date.now() > deadline) throw new Error(`the second instance did not answer within a minute:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function teamWithKey(credits: bigint) {
  const db = e2eDb();
  const olivia = await db.user.findUniqueOrThrow({ where: { email: "olivia@demo.creditdesk.dev" } });
  const team = await createTeam({ db, name: `Scale-out E2E ${Date.now()}`, ownerUserId: olivia.id });
  // This cycle's Free credits first, so the plan credits job has nothing left to add while balances are checked.
  await db.$transaction((tx) => grantFreeAllowance({ db: tx, teamId: team.id }));
  await creditCredits({ db, teamId: team.id, amount: credits, kind: "TOPUP", idempotencyKey: `e2e-scale-${team.id}`, expiresAt: null });
  const key = await createApiKey({ db, teamId: team.id, name: "scale-out", role: "BILLING", createdByUserId: olivia.id });
  const { balance } = await db.team.findUniqueOrThrow({ where: { id: team.id }, select: { balance: true } });
  return { id: team.id, balance, auth: { authorization: `Bearer ${key.secret}`, "content-type": "application/json" } };
}

type UsageAnswer = { debited: number; duplicates: number; credits_debited: number; results: { status: string; credits?: number }[] };
async function usage(instance: string, headers: Record<string, string>, key: string): Promise<UsageAnswer> {
  const res = await fetch(`${instance}/api/v1/usage`, {
    method: "POST",
    headers,
    body: JSON.stringify({ idempotency_key: key, operation: "matmul", quantity: 3 }),
  });
  expect(res.status, `${instance} answered ${res.status} for ${key}`).toBe(200);
  return (await res.json()) as UsageAnswer;
}

test.describe.serial("two instances on one database", () => {
  test.beforeAll(async () => {
    test.setTimeout(90_000);
    a = base(portA);
    receiver = await startReceiver(SECRET);
    b = await startSecondInstance();
    const [row] = await e2eDb().$queryRaw<{ now: Date }[]>`SELECT now()`;
    startedAt = row!.now;
  });
  test.afterAll(async () => {
    await receiver?.close();
    if (instanceB && instanceB.exitCode === null) {
      const exited = new Promise((r) => instanceB!.once("exit", r));
      instanceB.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    }
  });

  test("debits are exact across both: concurrent usage to A and B, and each key charged once when sent to both at once", async () => {
    const db = e2eDb();
    const team = await teamWithKey(10_000_000n);
    const start = team.balance;
    // A budget of $0.20 (16,000 credits; not a hard cap) the usage below crosses at 50% and 80%: budget_alert events,
    // sent to a local receiver that verifies their signatures with standardwebhooks (checked in the last test).
    await setBudget({ db, teamId: team.id, monthlyCapCents: 20n });
    await db.webhookEndpoint.create({ data: { teamId: team.id, url: receiver.url("/ok"), events: ["budget_alert"], secret: SECRET } });
    webhookTeamId = team.id;

    // 200 different keys, alternating between the instances, all at once.
    const spread = await Promise.all(Array.from({ length: 200 }, (_, i) => usage(i % 2 ? b : a, team.auth, `spread-${i}`)));
    expect(spread.every((r) => r.debited === 1)).toBe(true);
    // 60 keys, each sent to A and to B at the same moment: one of the two charges it, the other sees a duplicate.
    const raced = await Promise.all(Array.from({ length: 60 }, (_, i) => Promise.all([usage(a, team.auth, `raced-${i}`), usage(b, team.auth, `raced-${i}`)])));
    for (const pair of raced) expect(pair.map((r) => r.results[0]!.status).sort()).toEqual(["debited", "duplicate"]);

    const charged = [...spread, ...raced.flat()].reduce((sum, r) => sum + BigInt(r.credits_debited), 0n);
    const perEvent = BigInt(spread[0]!.credits_debited);
    expect(perEvent).toBeGreaterThan(0n);
    expect(charged).toBe(perEvent * 260n);
    const { balance } = await db.team.findUniqueOrThrow({ where: { id: team.id }, select: { balance: true } });
    expect(balance).toBe(start - charged);
    const keys = await db.ledgerEntry.groupBy({ by: ["idempotencyKey"], where: { teamId: team.id, kind: "USAGE" }, _count: true });
    expect(keys).toHaveLength(260);
    expect(keys.every((k) => k._count === 1)).toBe(true);
    expect((await verifyBalance({ db, teamId: team.id })).problems).toEqual([]);
  });

  test("each scheduled background job runs once per tick for both instances together", async () => {
    test.setTimeout(120_000);
    const db = e2eDb();
    // Both instances hold connections to the queue (application_name carries host and pid).
    const queueClients = await db.$queryRaw<{ name: string }[]>`
      SELECT DISTINCT application_name AS name FROM pg_stat_activity WHERE application_name LIKE 'creditdesk-jobs:%'`;
    expect(queueClients.length).toBeGreaterThanOrEqual(2);

    // Wait for a minute tick after B joined, and for its jobs to finish.
    const tick = new Date(Math.ceil((startedAt.getTime() + 1) / 60_000) * 60_000);
    const minuteJobs = [APP_JOB.grantExpiry, APP_JOB.autoTopUps, APP_JOB.emails];
    await expect
      .poll(
        async () => {
          const rows = await db.$queryRaw<{ name: string }[]>`
            SELECT name FROM pgboss.job WHERE name = ANY(${minuteJobs}) AND created_on >= ${tick} AND state = 'completed' AND data->>'followUp' IS NULL`;
          return new Set(rows.map((r) => r.name)).size;
        },
        { timeout: 100_000, intervals: [1000] },
      )
      .toBe(minuteJobs.length);

    // Over the whole e2e run (A alone, then A and B), one run of each scheduled job per tick, never two.
    const perTick = await db.$queryRaw<{ name: string; minute: Date; runs: number }[]>`
      SELECT name, date_trunc('minute', created_on) AS minute, count(*)::int AS runs
        FROM pgboss.job
       WHERE name = ANY(${Object.values(APP_JOB)}) AND data->>'followUp' IS NULL
       GROUP BY 1, 2 ORDER BY 2, 1`;
    const sinceB = perTick.filter((r) => r.minute >= tick);
    expect(sinceB.map((r) => r.name).sort()).toEqual(expect.arrayContaining(minuteJobs.sort()));
    expect(perTick.filter((r) => r.runs !== 1)).toEqual([]);
    // The email sweep's second run half a minute later is also once per tick.
    const followUps = await db.$queryRaw<{ runs: number }[]>`
      SELECT count(*)::int AS runs FROM pgboss.job WHERE name = ${APP_JOB.emails} AND data->>'followUp' = 'true' GROUP BY date_trunc('minute', created_on)`;
    expect(followUps.filter((r) => r.runs !== 1)).toEqual([]);
  });

  test("every webhook event is delivered once with both instances working the queue", async () => {
    test.setTimeout(120_000);
    const db = e2eDb();
    // Budget alerts are recorded by the debit's SQL and sent by the minute sweep (one run per tick), then delivered by
    // whichever instance claims each attempt.
    const events = await db.webhookEvent.findMany({ where: { teamId: webhookTeamId, type: "budget_alert" }, select: { id: true } });
    expect(events.length).toBeGreaterThanOrEqual(2);
    await expect
      .poll(async () => db.webhookDelivery.count({ where: { event: { teamId: webhookTeamId }, status: { not: "SUCCEEDED" } } }), {
        timeout: 100_000,
        intervals: [1000],
      })
      .toBe(0);
    const deliveries = await db.webhookDelivery.findMany({ where: { event: { teamId: webhookTeamId } }, select: { attempts: true } });
    expect(deliveries).toHaveLength(events.length);
    expect(deliveries.every((d) => d.attempts === 1)).toBe(true);
    expect(receiver.rejected).toEqual([]);
    const received = receiver.attempts.map((r) => r.body.id).sort();
    expect(received).toEqual(events.map((e) => e.id).sort());
  });
});
