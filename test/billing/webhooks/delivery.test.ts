import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../../lib/db/client";
import { startQueue, type Queue } from "../../../lib/jobs/queue";
import { deliverWebhook } from "../../../lib/billing/webhooks/deliver";
import { emitWebhookEvent } from "../../../lib/billing/webhooks/emit-event";
import type { WebhookEventType } from "../../../lib/billing/webhooks/event-types";
import { sweepWebhookDeliveries } from "../../../lib/billing/webhooks/sweep-deliveries";
import { webhookJobDefinitions } from "../../../lib/billing/webhooks/webhook-jobs";
import type { WebhookSettings } from "../../../lib/billing/webhooks/webhook-settings";
import { createTestDatabase, type TestDatabase } from "../../helpers/db";
import { makeTeam } from "../factories";
import { startReceiver } from "./receiver";

const SECRET = "whsec-test-0123456789abcdefghijklmnopqrstuvwxyz";
// The Svix schedule compressed to fractions of a second; three retries.
const fast: WebhookSettings = { retryDelaysMs: [150, 300, 300], timeoutMs: 1500, disableAfterMs: 3_600_000, maxResponseBytes: 4096, allowPrivate: true };

async function makeEndpoint(db: Db, teamId: string, url: string, events: WebhookEventType[] = ["invoice_paid", "budget_alert", "payment_refunded"]) {
  return db.webhookEndpoint.create({ data: { teamId, url, events, secret: SECRET } });
}

async function emit(db: Db, teamId: string, key: string, queue: Queue | null, type: WebhookEventType = "invoice_paid") {
  return db.$transaction((tx) => emitWebhookEvent(tx, { teamId, type, data: { invoice_id: key, amount_cents: 1234 }, dedupeKey: key, queue }));
}

const until = async (f: () => Promise<boolean> | boolean, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe("webhook delivery (real PostgreSQL, pg-boss, HTTP receiver)", () => {
  let t: TestDatabase;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let q: Queue;
  let settings = fast;
  const jobs = () => webhookJobDefinitions({ db: () => t.db, queue: () => q, settings: () => settings });

  beforeAll(async () => {
    t = await createTestDatabase();
    rx = await startReceiver(SECRET);
    q = await startQueue({ connectionString: t.url, jobs: jobs(), schedule: false, onError: () => {} });
  });
  afterAll(async () => {
    await q.stop();
    await rx.close();
    await t.close();
  });

  it("delivers each event once after failed attempts, signed, with the same webhook-id on every attempt", async () => {
    const { teamId } = await makeTeam(t.db);
    const ep = await makeEndpoint(t.db, teamId, rx.url("/flaky/2"));
    const ids = [await emit(t.db, teamId, "inv_a", q), await emit(t.db, teamId, "inv_b", q, "budget_alert")].flat();
    expect(ids).toHaveLength(2);
    // The same fact again: nothing new.
    expect(await emit(t.db, teamId, "inv_a", q)).toEqual([]);
    // A type the endpoint does not subscribe to: nothing at all.
    expect(await emit(t.db, teamId, "sub_1", q, "subscription_updated")).toEqual([]);

    await until(async () => (await t.db.webhookDelivery.count({ where: { endpointId: ep.id, status: "SUCCEEDED" } })) === 2);
    const mine = rx.accepted.filter((r) => r.path === "/flaky/2");
    expect(mine.map((r) => r.body.data.invoice_id).sort()).toEqual(["inv_a", "inv_b"]);
    for (const r of mine) {
      const tries = rx.attempts.filter((a) => a.path === "/flaky/2" && a.body.id === r.body.id);
      expect(tries).toHaveLength(3);
      expect(new Set(tries.map((a) => a.webhookId))).toEqual(new Set([r.body.id]));
      expect(r.body.id).toMatch(/^evt_/);
      expect(Object.keys(r.body).sort()).toEqual(["created_at", "data", "id", "type"]);
    }
    expect(rx.rejected).toEqual([]);
    const d = await t.db.webhookDelivery.findFirstOrThrow({ where: { endpointId: ep.id }, include: { tries: { orderBy: { number: "asc" } } } });
    expect(d.tries.map((a) => [a.number, a.statusCode, a.manual])).toEqual([
      [1, 500, false],
      [2, 500, false],
      [3, 200, false],
    ]);
    expect(d.tries[0]!.error).toContain("HTTP 500");
    expect(d.lastStatusCode).toBe(200);
    expect(d.deliveredAt).not.toBeNull();
    expect((await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: ep.id } })).failingSince).toBeNull();
  });

  it("refuses a private address when the setting is off, and records the refusal as the attempt's error", async () => {
    const { teamId } = await makeTeam(t.db);
    const ep = await makeEndpoint(t.db, teamId, rx.url("/ok"));
    const [id] = await emit(t.db, teamId, "inv_blocked", null);
    const before = rx.attempts.length;
    const outcome = await deliverWebhook({ db: t.db, deliveryId: id!, settings: { ...fast, allowPrivate: false }, queue: null });
    expect(outcome).toBe("retrying");
    expect(rx.attempts.length).toBe(before);
    const a = await t.db.webhookAttempt.findFirstOrThrow({ where: { deliveryId: id! } });
    expect(a.statusCode).toBeNull();
    expect(a.error).toContain("WEBHOOK_URL_BLOCKED");
    // A name that resolves to loopback is refused too.
    await t.db.webhookEndpoint.update({ where: { id: ep.id }, data: { url: rx.url("/ok").replace("127.0.0.1", "localhost") } });
    await t.db.webhookDelivery.update({ where: { id: id! }, data: { nextAttemptAt: new Date() } });
    await deliverWebhook({ db: t.db, deliveryId: id!, settings: { ...fast, allowPrivate: false }, queue: null });
    const second = await t.db.webhookAttempt.findFirstOrThrow({ where: { deliveryId: id!, number: 2 } });
    expect(second.error).toContain("WEBHOOK_URL_BLOCKED");
    expect(rx.attempts.length).toBe(before);
  });

  it("does not follow a redirect (a failure), and gives up on a receiver that does not answer in time", async () => {
    const { teamId } = await makeTeam(t.db);
    await makeEndpoint(t.db, teamId, rx.url("/redirect"));
    const [redirected] = await emit(t.db, teamId, "inv_redirect", null);
    const okBefore = rx.accepted.length;
    expect(await deliverWebhook({ db: t.db, deliveryId: redirected!, settings: fast, queue: null })).toBe("retrying");
    const r = await t.db.webhookAttempt.findFirstOrThrow({ where: { deliveryId: redirected! } });
    expect(r.statusCode).toBe(302);
    expect(r.error).toContain("not followed");
    expect(rx.accepted.length).toBe(okBefore);

    const other = await makeTeam(t.db);
    await makeEndpoint(t.db, other.teamId, rx.url("/slow"));
    const [slow] = await emit(t.db, other.teamId, "inv_slow", null);
    const started = Date.now();
    expect(await deliverWebhook({ db: t.db, deliveryId: slow!, settings: { ...fast, timeoutMs: 500 }, queue: null })).toBe("retrying");
    expect(Date.now() - started).toBeLessThan(5_000);
    const s = await t.db.webhookAttempt.findFirstOrThrow({ where: { deliveryId: slow! } });
    expect(s.statusCode).toBeNull();
    expect(s.error).toContain("timed out after 500 ms");
    expect(s.latencyMs).toBeGreaterThanOrEqual(450);
  });

  it("fails a delivery when the schedule is exhausted; Resend makes one attempt and does not restart it", async () => {
    const { teamId } = await makeTeam(t.db);
    const ep = await makeEndpoint(t.db, teamId, rx.url("/down"));
    const [id] = await emit(t.db, teamId, "inv_down", q);
    await until(async () => (await t.db.webhookDelivery.findUniqueOrThrow({ where: { id: id! } })).status === "FAILED");
    expect(await t.db.webhookAttempt.count({ where: { deliveryId: id! } })).toBe(fast.retryDelaysMs.length + 1);

    expect(await deliverWebhook({ db: t.db, deliveryId: id!, manual: true, settings: fast, queue: q })).toBe("failed");
    const d = await t.db.webhookDelivery.findUniqueOrThrow({ where: { id: id! } });
    expect([d.status, d.attempts, d.autoAttempts]).toEqual(["FAILED", 5, 4]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await t.db.webhookAttempt.count({ where: { deliveryId: id! } })).toBe(5);

    await t.db.webhookEndpoint.update({ where: { id: ep.id }, data: { url: rx.url("/ok") } });
    expect(await deliverWebhook({ db: t.db, deliveryId: id!, manual: true, settings: fast, queue: q })).toBe("succeeded");
    const done = await t.db.webhookDelivery.findUniqueOrThrow({ where: { id: id! }, include: { tries: { orderBy: { number: "asc" } } } });
    expect(done.status).toBe("SUCCEEDED");
    expect(done.tries.map((a) => a.manual)).toEqual([false, false, false, false, true, true]);
  });

  it("makes one attempt when two workers race for the same delivery", async () => {
    const { teamId } = await makeTeam(t.db);
    await makeEndpoint(t.db, teamId, rx.url("/ok"));
    const [id] = await emit(t.db, teamId, "inv_race", null);
    const outcomes = await Promise.all([1, 2, 3].map(() => deliverWebhook({ db: t.db, deliveryId: id!, settings: fast, queue: null })));
    expect(outcomes.sort()).toEqual(["skipped", "skipped", "succeeded"]);
    expect(await t.db.webhookAttempt.count({ where: { deliveryId: id! } })).toBe(1);
  });

  it("sweeps deliveries made without a queue, and never sends a second job for the same attempt", async () => {
    const { teamId } = await makeTeam(t.db);
    await makeEndpoint(t.db, teamId, rx.url("/ok"));
    const ids = [await emit(t.db, teamId, "inv_s1", null), await emit(t.db, teamId, "inv_s2", null)].flat();
    // A queue that only sends: its jobs wait until the working queue picks them up.
    const sender = await startQueue({ connectionString: t.url, jobs: [], work: false, schedule: false, onError: () => {} });
    try {
      const first = await sweepWebhookDeliveries({ db: t.db, queue: sender });
      await sweepWebhookDeliveries({ db: t.db, queue: sender });
      expect(first.due).toBeGreaterThanOrEqual(2);
      const jobs = await t.db.$queryRaw<{ key: string; n: number }[]>`
        SELECT singleton_key AS key, count(*)::int AS n FROM pgboss.job WHERE name = 'webhook-deliver' AND singleton_key = ANY(${ids.map((id) => `${id}:1`)}) GROUP BY 1`;
      expect(jobs.map((j) => j.n)).toEqual([1, 1]);
    } finally {
      await sender.stop();
    }
    await until(async () => (await t.db.webhookDelivery.count({ where: { id: { in: ids }, status: "SUCCEEDED" } })) === 2);
    expect(await t.db.webhookAttempt.count({ where: { deliveryId: { in: ids } } })).toBe(2);
  });

  it("disables an endpoint failing past the threshold, stops its deliveries and emails the owners", async () => {
    const { teamId, userId } = await makeTeam(t.db);
    const ep = await makeEndpoint(t.db, teamId, rx.url("/down"));
    await t.db.webhookEndpoint.update({ where: { id: ep.id }, data: { failingSince: new Date(Date.now() - 4 * 86_400_000) } });
    const [a] = await emit(t.db, teamId, "inv_d1", null);
    const [b] = await emit(t.db, teamId, "inv_d2", null);
    settings = { ...fast, disableAfterMs: 3 * 86_400_000 };
    try {
      expect(await deliverWebhook({ db: t.db, deliveryId: a!, settings, queue: null })).toBe("retrying");
    } finally {
      settings = fast;
    }
    const after = await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: ep.id } });
    expect([after.status, after.disabledReason]).toEqual(["DISABLED", "FAILING"]);
    expect((await t.db.webhookDelivery.findMany({ where: { id: { in: [a!, b!] } } })).map((d) => d.status)).toEqual(["FAILED", "FAILED"]);
    const note = await t.db.notification.findFirstOrThrow({ where: { teamId, kind: "webhook_endpoint_disabled" } });
    const owner = await t.db.user.findUniqueOrThrow({ where: { id: userId } });
    expect([note.userId, note.email]).toEqual([userId, owner.email]);
    expect(note.body).toContain(rx.url("/down"));
    expect(await t.db.auditLog.count({ where: { teamId, action: "webhook_endpoint.disabled_failing", targetId: ep.id } })).toBe(1);
    // Disabled: no attempt, no new deliveries.
    expect(await deliverWebhook({ db: t.db, deliveryId: b!, settings: fast, queue: null })).toBe("skipped");
    expect(await emit(t.db, teamId, "inv_d3", null)).toEqual([]);
    // A manual Resend to a disabled endpoint is refused and says why.
    expect(await deliverWebhook({ db: t.db, deliveryId: b!, manual: true, settings: fast, queue: null })).toBe("failed");
    const refused = await t.db.webhookAttempt.findFirstOrThrow({ where: { deliveryId: b! } });
    expect(refused.error).toContain("disabled");
  });

  it("with two queue instances on one database, every event is delivered once", async () => {
    const second = await startQueue({ connectionString: t.url, jobs: jobs(), schedule: false, onError: () => {} });
    try {
      const { teamId } = await makeTeam(t.db);
      await makeEndpoint(t.db, teamId, rx.url("/flaky/1"));
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) ids.push(...(await emit(t.db, teamId, `inv_two_${i}`, i % 2 ? q : second)));
      expect(ids).toHaveLength(12);
      await until(async () => (await t.db.webhookDelivery.count({ where: { id: { in: ids }, status: "SUCCEEDED" } })) === 12, 30_000);
      await sweepWebhookDeliveries({ db: t.db, queue: second });
      await new Promise((r) => setTimeout(r, 1500));
      const got = rx.accepted.filter((r) => r.path === "/flaky/1").map((r) => r.body.data.invoice_id as string);
      expect(got.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `inv_two_${i}`).sort());
      expect(await t.db.webhookAttempt.count({ where: { deliveryId: { in: ids } } })).toBe(24);
    } finally {
      await second.stop();
    }
  });
});
