import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverWebhook } from "../../../lib/billing/webhooks/deliver";
import { emitWebhookEvent } from "../../../lib/billing/webhooks/emit-event";
import type { WebhookSettings } from "../../../lib/billing/webhooks/webhook-settings";
import { createTestDatabase, type TestDatabase } from "../../helpers/db";
import { makeTeam } from "../factories";
import { startReceiver } from "./receiver";

const SECRET = "whsec-clock-0123456789abcdefghijklmnopqrstuvwxyz";
const HOUR = 3_600_000;
const settings: WebhookSettings = { retryDelaysMs: [150, 300], timeoutMs: 1500, disableAfterMs: 72 * HOUR, maxResponseBytes: 4096, allowPrivate: true };

describe("the disable clock of a failing endpoint (real PostgreSQL, HTTP receiver)", () => {
  let t: TestDatabase;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    t = await createTestDatabase();
    rx = await startReceiver(SECRET);
  });
  afterAll(async () => {
    await rx.close();
    await t.close();
  });

  it("a failed Resend does not start it: one automatic failure days later does not turn the endpoint off", async () => {
    const { teamId } = await makeTeam(t.db);
    const ep = await t.db.webhookEndpoint.create({ data: { teamId, url: rx.url("/down"), events: ["invoice_paid"], secret: SECRET } });
    const emit = (key: string) =>
      t.db.$transaction((tx) => emitWebhookEvent(tx, { teamId, type: "invoice_paid", data: { invoice_id: key }, dedupeKey: key, queue: null }));
    // An old delivery, resent by hand while the receiver is down: the attempt fails, and no automatic attempt follows it.
    const [old] = await emit("inv_old");
    await t.db.webhookDelivery.update({ where: { id: old! }, data: { status: "FAILED", nextAttemptAt: null } });
    expect(await deliverWebhook({ db: t.db, deliveryId: old!, manual: true, settings, queue: null })).toBe("failed");
    // Three days and an hour later a new event's first automatic attempt fails once (a blip): it is retried, and the
    // endpoint, which has not been failing for three days, stays on.
    const [fresh] = await emit("inv_new");
    const later = () => new Date(Date.now() + 73 * HOUR);
    expect(await deliverWebhook({ db: t.db, deliveryId: fresh!, settings, queue: null, clock: later })).toBe("retrying");
    const after = await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: ep.id } });
    expect(after.status).toBe("ENABLED");
    expect(await t.db.notification.count({ where: { teamId, kind: "webhook_endpoint_disabled" } })).toBe(0);
    // The failing clock now runs from that automatic failure.
    expect(after.failingSince!.getTime()).toBeGreaterThan(Date.now() + 72 * HOUR);
  });
});
