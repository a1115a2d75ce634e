import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeAudit } from "../../../components/audit/describe-audit";
import { createWebhookEndpoint } from "../../../lib/billing/webhooks/create-webhook-endpoint";
import { deleteWebhookEndpoint } from "../../../lib/billing/webhooks/delete-webhook-endpoint";
import { getWebhookEndpoint } from "../../../lib/billing/webhooks/get-webhook-endpoint";
import { listDeliveryAttempts } from "../../../lib/billing/webhooks/list-delivery-attempts";
import { listWebhookDeliveries } from "../../../lib/billing/webhooks/list-webhook-deliveries";
import { listWebhookEndpoints } from "../../../lib/billing/webhooks/list-webhook-endpoints";
import { updateWebhookEndpoint } from "../../../lib/billing/webhooks/update-webhook-endpoint";
import { makeTeamWithRoles, userActor } from "../factories";
import { createTestDatabase, type TestDatabase } from "../../helpers/db";

// The endpoint core as the settings page and the API call it: team-scoped, role-checked, validated before anything is
// written, audit-logged in words without the secret.

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

const SECRET = "whsec-core-test-secret-0123456789-abcd";
const input = { url: "https://93.184.215.14/hooks", events: ["invoice_paid"], secret: SECRET };

describe("webhook endpoints core", () => {
  it("lets billing roles manage, members neither read nor change, and scopes everything to the team", async () => {
    const team = await makeTeamWithRoles(t.db);
    const other = await makeTeamWithRoles(t.db);
    for (const role of ["OWNER", "ADMIN", "BILLING"] as const) {
      const e = await createWebhookEndpoint({
        db: t.db,
        actor: userActor(team.users[role], team.teamId, role),
        input: { ...input, description: `  by ${role} ` },
      });
      expect(e.description).toBe(`by ${role}`);
    }
    const member = userActor(team.users.MEMBER, team.teamId, "MEMBER");
    await expect(listWebhookEndpoints({ db: t.db, actor: member })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(createWebhookEndpoint({ db: t.db, actor: member, input })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const owner = userActor(team.userId, team.teamId, "OWNER");
    const mine = await listWebhookEndpoints({ db: t.db, actor: owner });
    expect(mine).toHaveLength(3);
    expect(mine.every((e) => e.secretLast4 === "abcd" && !JSON.stringify(e).includes(SECRET))).toBe(true);
    const outsider = userActor(other.userId, other.teamId, "OWNER");
    expect(await listWebhookEndpoints({ db: t.db, actor: outsider })).toEqual([]);
    for (const call of [
      () => getWebhookEndpoint({ db: t.db, actor: outsider, endpointId: mine[0]!.id }),
      () => updateWebhookEndpoint({ db: t.db, actor: outsider, endpointId: mine[0]!.id, input: { enabled: false } }),
      () => deleteWebhookEndpoint({ db: t.db, actor: outsider, endpointId: mine[0]!.id }),
      () => listWebhookDeliveries({ db: t.db, actor: outsider, endpointId: mine[0]!.id }),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    expect((await getWebhookEndpoint({ db: t.db, actor: owner, endpointId: mine[0]!.id })).status).toBe("enabled");
  });

  it("refuses what the route's schema would let through when called directly", async () => {
    const team = await makeTeamWithRoles(t.db);
    const owner = userActor(team.userId, team.teamId, "OWNER");
    const bad: [Record<string, unknown>, string, string][] = [
      [{ ...input, url: "https://billing.example.invalid/x" }, "url", "WEBHOOK_URL_UNRESOLVABLE"],
      [{ ...input, url: "http://0x7f000001/x" }, "url", "WEBHOOK_URL_BLOCKED"],
      [{ ...input, url: "https://93.184.215.14/\u0000" }, "url", "VALIDATION_FAILED"],
      [{ ...input, url: 42 }, "url", "VALIDATION_FAILED"],
      [{ ...input, events: "invoice_paid" }, "events", "VALIDATION_FAILED"],
      [{ ...input, events: ["invoice_paid", "Invoice_Paid"] }, "events", "VALIDATION_FAILED"],
      [{ ...input, events: ["invoice_paid", "invoice_paid"] }, "events", "VALIDATION_FAILED"],
      [{ ...input, secret: "é".repeat(40) }, "secret", "VALIDATION_FAILED"],
      [{ ...input, secret: `${"a".repeat(31)}` }, "secret", "VALIDATION_FAILED"],
      [{ ...input, description: "x".repeat(201) }, "description", "VALIDATION_FAILED"],
      [{ ...input, description: "a\u0000b" }, "description", "VALIDATION_FAILED"],
    ];
    for (const [i, field, code] of bad) {
      await expect(createWebhookEndpoint({ db: t.db, actor: owner, input: i as typeof input }), JSON.stringify(i)).rejects.toMatchObject({
        code,
        details: { field },
      });
    }
    const unknown = createWebhookEndpoint({ db: t.db, actor: owner, input: { ...input, events: ["invoice_paid", "refund_done"] } });
    await expect(unknown).rejects.toThrow(/"refund_done" is not an event type/);
    expect(await t.db.webhookEndpoint.count({ where: { teamId: team.teamId } })).toBe(0);
    expect(await t.db.auditLog.count({ where: { teamId: team.teamId, action: { startsWith: "webhook_endpoint." } } })).toBe(0);
  });

  it("disables and re-enables (clearing the failure), deletes with its deliveries, and writes audit rows in words", async () => {
    const team = await makeTeamWithRoles(t.db);
    const billing = userActor(team.users.BILLING, team.teamId, "BILLING");
    const e = await createWebhookEndpoint({ db: t.db, actor: billing, input });
    await updateWebhookEndpoint({ db: t.db, actor: billing, endpointId: e.id, input: { enabled: true, events: ["invoice_paid"] } });
    const off = await updateWebhookEndpoint({ db: t.db, actor: billing, endpointId: e.id, input: { enabled: false } });
    expect(off).toMatchObject({ status: "disabled", disabledReason: "owner" });
    await t.db.webhookEndpoint.update({ where: { id: e.id }, data: { disabledReason: "FAILING", failingSince: new Date() } });
    const on = await updateWebhookEndpoint({ db: t.db, actor: billing, endpointId: e.id, input: { enabled: true, url: "https://93.184.215.15/v2" } });
    expect(on).toMatchObject({ status: "enabled", disabledReason: null, failingSince: null, url: "https://93.184.215.15/v2" });

    const event = await t.db.webhookEvent.create({ data: { teamId: team.teamId, type: "invoice_paid", data: {}, dedupeKey: "core-1" } });
    const d = await t.db.webhookDelivery.create({ data: { eventId: event.id, endpointId: e.id } });
    await t.db.webhookAttempt.create({ data: { deliveryId: d.id, number: 1, statusCode: 500, latencyMs: 12, error: "HTTP 500" } });
    const page = await listWebhookDeliveries({ db: t.db, actor: billing, endpointId: e.id });
    expect(page).toMatchObject({
      hasMore: false,
      nextCursor: null,
      deliveries: [{ id: d.id, eventId: event.id, eventType: "invoice_paid", status: "pending" }],
    });
    expect((await listDeliveryAttempts({ db: t.db, actor: billing, deliveryId: d.id })).attempts).toMatchObject([{ number: 1, statusCode: 500 }]);
    await expect(listWebhookDeliveries({ db: t.db, actor: billing, endpointId: e.id, limit: 0 })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });

    await deleteWebhookEndpoint({ db: t.db, actor: billing, endpointId: e.id });
    expect(await t.db.webhookDelivery.count({ where: { id: d.id } })).toBe(0);
    expect(await t.db.webhookEvent.count({ where: { id: event.id } })).toBe(1);
    await expect(deleteWebhookEndpoint({ db: t.db, actor: billing, endpointId: e.id })).rejects.toMatchObject({ code: "NOT_FOUND" });

    const rows = await t.db.auditLog.findMany({ where: { teamId: team.teamId, targetId: e.id }, orderBy: { createdAt: "asc" } });
    expect(rows.every((r) => r.actorUserId === team.users.BILLING)).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(SECRET);
    const words = rows.map((r) => describeAudit(r.action, r.data));
    expect(words.map((w) => w.what)).toEqual([
      "Added a webhook endpoint for https://93.184.215.14/hooks",
      "Changed a webhook endpoint for https://93.184.215.14/hooks",
      "Changed a webhook endpoint for https://93.184.215.15/v2",
      "Deleted a webhook endpoint for https://93.184.215.15/v2",
    ]);
    expect(words[1]!.changes).toEqual([{ label: "Status", before: "enabled", after: "disabled" }]);
    expect(words[2]!.changes).toEqual([
      { label: "URL", before: "https://93.184.215.14/hooks", after: "https://93.184.215.15/v2" },
      { label: "Status", before: "disabled after failures", after: "enabled" },
    ]);
  });
});
