import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySubscriptionState } from "../../lib/billing/subscriptions/apply-subscription-state";
import type { SubscriptionInvoiceSnapshot, SubscriptionSnapshot } from "../../lib/billing/subscriptions/subscription-port";
import { makeTeam } from "../billing/factories";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

// Two events of one subscription handled at once read Stripe at different moments; whichever commits last must not be
// the older read. A paid invoice read with older news still grants its credits.

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

const DAY = 86_400_000;

function snapshot(teamId: string, id: string, status: string, readAt: Date): SubscriptionSnapshot {
  const start = new Date(Date.now() - DAY);
  return {
    id,
    customerId: null,
    teamId,
    status,
    priceLookupKey: "pro_monthly",
    currentPeriodStart: start,
    currentPeriodEnd: new Date(start.getTime() + 30 * DAY),
    cancelAtPeriodEnd: false,
    canceledAt: null,
    readAt,
  };
}

describe("an older read of a subscription", () => {
  it("is not applied over a newer one (past_due read before a paid retry stays unapplied); its paid invoice still grants once", async () => {
    const { teamId } = await makeTeam(t.db);
    const id = `sub_${teamId}`;
    const t1 = new Date(Date.now() - 5_000);
    const t2 = new Date(Date.now() - 1_000);
    await t.db.$transaction((tx) => applySubscriptionState({ db: tx, subscription: snapshot(teamId, id, "active", t2) }));
    const stale = await t.db.$transaction((tx) => applySubscriptionState({ db: tx, subscription: snapshot(teamId, id, "past_due", t1) }));
    expect(stale).toMatch(/not applied/);
    expect(await t.db.subscription.findUniqueOrThrow({ where: { teamId } })).toMatchObject({ status: "ACTIVE", pastDueSince: null, stateReadAt: t2 });
    expect((await t.db.team.findUniqueOrThrow({ where: { id: teamId } })).unpaidFrom).toBeNull();

    const sub = snapshot(teamId, id, "active", t1);
    const invoice: SubscriptionInvoiceSnapshot = {
      id: `in_${teamId}`,
      subscriptionId: id,
      status: "paid",
      billingReason: "subscription_create",
      priceLookupKey: "pro_monthly",
      periodStart: sub.currentPeriodStart,
      periodEnd: sub.currentPeriodEnd,
    };
    for (let i = 0; i < 2; i++) await t.db.$transaction((tx) => applySubscriptionState({ db: tx, subscription: sub, invoice }));
    const grants = await t.db.ledgerEntry.findMany({ where: { teamId, kind: "PLAN_GRANT" } });
    expect(grants.map((g) => g.amount)).toEqual([20_000_000n]);

    // A newer read applies.
    const t3 = new Date();
    await t.db.$transaction((tx) => applySubscriptionState({ db: tx, subscription: snapshot(teamId, id, "past_due", t3) }));
    expect(await t.db.subscription.findUniqueOrThrow({ where: { teamId } })).toMatchObject({ status: "PAST_DUE", stateReadAt: t3 });
  });
});
