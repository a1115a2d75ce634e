import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { creditCredits } from "../../lib/billing/ledger/credit-credits";
import { WEBHOOK_CREDITS_EXPIRING_JOB, WEBHOOK_SWEEP_JOB } from "../../lib/billing/webhooks/webhook-jobs";
import { APP_JOB, appJobs, EMAIL_FOLLOW_UP_SECONDS } from "../../lib/jobs/app-jobs";
import { type Queue, setProcessQueue, startQueue } from "../../lib/jobs/queue";
import { makeTeam, teamBalance } from "../billing/factories";
import { runAppJob } from "../helpers/app-jobs";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

// The app's background jobs on the real queue (pg-boss on the test database), with two queue instances standing in for
// two app instances. That a cron tick fires once for all instances is shown against real `next start` instances in
// e2e/scale-out.spec.ts (it needs a minute to pass).
describe("the app's background jobs on the queue", () => {
  let t: TestDatabase;
  const instances: Queue[] = [];
  const mail: string[] = [];
  const email = { transport: nodemailer.createTransport({ jsonTransport: true }), from: "billing@example.com" };

  beforeAll(async () => {
    t = await createTestDatabase();
    const sent = email.transport.sendMail.bind(email.transport);
    email.transport.sendMail = (async (m: nodemailer.SendMailOptions) => {
      mail.push(String(m.to));
      return sent(m);
    }) as typeof email.transport.sendMail;
    for (let i = 0; i < 2; i++)
      instances.push(await startQueue({ connectionString: t.url, jobs: appJobs({ db: t.db, gateway: null, email: null }), onError: () => {} }));
  });
  afterAll(async () => {
    setProcessQueue(null);
    for (const q of instances) await q.stop();
    await t.close();
  });

  const jobRows = (name: string) =>
    t.db.$queryRawUnsafe<{ id: string; state: string; data: { followUp?: boolean }; start_after: Date }[]>(
      `SELECT id, state::text AS state, data, start_after FROM pgboss.job WHERE name = $1 ORDER BY created_on`,
      name,
    );

  it("keeps one schedule per job for all instances, and at most one run of each job waiting", async () => {
    const schedules = await t.db.$queryRawUnsafe<{ name: string; cron: string; timezone: string }[]>(
      `SELECT name, cron, timezone FROM pgboss.schedule ORDER BY name`,
    );
    expect(schedules).toEqual([
      { name: APP_JOB.autoTopUps, cron: "* * * * *", timezone: "UTC" },
      { name: APP_JOB.grantExpiry, cron: "* * * * *", timezone: "UTC" },
      { name: APP_JOB.emails, cron: "* * * * *", timezone: "UTC" },
      { name: APP_JOB.planCredits, cron: "*/5 * * * *", timezone: "UTC" },
      { name: APP_JOB.statements, cron: "*/5 * * * *", timezone: "UTC" },
      { name: WEBHOOK_CREDITS_EXPIRING_JOB, cron: "7 0 * * *", timezone: "UTC" },
      { name: WEBHOOK_SWEEP_JOB, cron: "* * * * *", timezone: "UTC" },
    ]);
    const policies = await t.db.$queryRawUnsafe<{ name: string; policy: string; retry_limit: number }[]>(
      `SELECT name, policy, retry_limit FROM pgboss.queue WHERE name = ANY($1) ORDER BY name`,
      Object.values(APP_JOB),
    );
    expect(policies).toHaveLength(5);
    for (const p of policies) expect(p).toMatchObject({ policy: "short", retry_limit: 0 });
  });

  it("a job sent to the shared queue is run once by one of the two instances", async () => {
    const { teamId } = await makeTeam(t.db);
    await creditCredits({ db: t.db, teamId, amount: 40n, kind: "COUPON", idempotencyKey: "soon", expiresAt: new Date(Date.now() + 1000) });
    await new Promise((r) => setTimeout(r, 1100));
    const id = await instances[0]!.send(APP_JOB.grantExpiry, {});
    expect(id).toBeTruthy();
    await expect.poll(async () => (await jobRows(APP_JOB.grantExpiry)).find((j) => j.id === id)?.state, { timeout: 15_000 }).toBe("completed");
    expect(await teamBalance(t.db, teamId)).toBe(0n);
    expect(await t.db.ledgerEntry.count({ where: { teamId, kind: "EXPIRY" } })).toBe(1);
  });

  it("refuses a second waiting run of a sweep (a slow run is never followed by a pile of ticks)", async () => {
    const later = { startAfter: 3600 };
    const first = await instances[0]!.send(APP_JOB.statements, {}, later);
    const second = await instances[1]!.send(APP_JOB.statements, {}, later);
    expect(first).toBeTruthy();
    expect(second).toBeNull();
    expect((await jobRows(APP_JOB.statements)).filter((j) => j.state === "created")).toHaveLength(1);
  });

  it("the email sweep sends pending emails and asks once for a second sweep half a minute later", async () => {
    setProcessQueue(instances[0]!);
    const { teamId } = await makeTeam(t.db);
    await t.db.notification.create({ data: { teamId, kind: "budget_alert", title: "Budget at 80%", body: "…", email: "ops@example.com" } });
    const before = Date.now();
    await runAppJob(APP_JOB.emails, { db: t.db, email });
    expect(mail).toEqual(["ops@example.com"]);
    const followUps = (await jobRows(APP_JOB.emails)).filter((j) => j.data.followUp);
    expect(followUps).toHaveLength(1);
    expect(followUps[0]!.start_after.getTime()).toBeGreaterThanOrEqual(before + (EMAIL_FOLLOW_UP_SECONDS - 1) * 1000);

    // The follow-up sweeps and asks for nothing more; without SMTP the job leaves emails waiting.
    await runAppJob(APP_JOB.emails, { db: t.db, email }, { followUp: true });
    expect((await jobRows(APP_JOB.emails)).filter((j) => j.data.followUp)).toHaveLength(1);
    await t.db.notification.create({ data: { teamId, kind: "budget_alert", title: "Budget at 100%", body: "…", email: "ops@example.com" } });
    await runAppJob(APP_JOB.emails, { db: t.db, email: null });
    expect(mail).toHaveLength(1);
    expect(await t.db.notification.count({ where: { teamId, emailedAt: null } })).toBe(1);
  });

  it("a failing run is marked failed on the queue, not retried (the next tick is the retry)", async () => {
    const other = await createTestDatabase();
    const broken = appJobs({
      db: other.db,
      gateway: null,
      email: null,
      now: () => {
        throw new Error("the clock broke");
      },
    });
    const q = await startQueue({ connectionString: other.url, jobs: broken.filter((j) => j.name === APP_JOB.planCredits), schedule: false, onError: () => {} });
    try {
      const id = await q.send(APP_JOB.planCredits, {});
      const state = () =>
        other.db.$queryRawUnsafe<{ state: string; retry_count: number }[]>(`SELECT state::text AS state, retry_count FROM pgboss.job WHERE id = $1::uuid`, id);
      await expect.poll(async () => (await state())[0]?.state, { timeout: 15_000 }).toBe("failed");
      expect((await state())[0]?.retry_count).toBe(0);
    } finally {
      await q.stop();
      await other.close();
    }
  });
});
