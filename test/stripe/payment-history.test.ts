import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listPayments } from "../../lib/billing/payments/list-payments";
import { closeTopUp } from "../../lib/billing/topups/close-top-up";
import { startTopUp } from "../../lib/billing/topups/start-top-up";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTeam } from "../billing/factories";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

describe("payment history", () => {
  it("lists the team's payments newest first, ten to a page, without checkouts the person backed out of", async () => {
    const { teamId } = await makeTeam(t.db);
    const other = await makeTeam(t.db);
    const made: string[] = [];
    for (let i = 0; i < 23; i++) {
      const { payment } = await startTopUp({ db: t.db, teamId, actorUserId: null, input: { amount: String(5 + i), method: i % 2 ? "paypal" : "card" } });
      made.push(payment.id);
    }
    await startTopUp({ db: t.db, teamId: other.teamId, actorUserId: null, input: { amount: "99", method: "card" } });
    await closeTopUp({ db: t.db, paymentId: made[22]!, status: "CANCELED" });
    await closeTopUp({ db: t.db, paymentId: made[21]!, status: "FAILED", failureMessage: "Your card was declined." });

    const first = await listPayments({ db: t.db, teamId, page: 1 });
    expect(first).toMatchObject({ page: 1, pageSize: 10, total: 22, pageCount: 3 });
    expect(first.items.map((p) => p.id)).toEqual(made.slice(0, 22).reverse().slice(0, 10));
    expect(first.items[0]).toMatchObject({
      status: "failed",
      failureMessage: "Your card was declined.",
      amountCents: 2600n,
      credits: 2080000n,
      methodLabel: "PayPal",
      kindLabel: "Top Up",
    });
    expect(first.items[1]).toMatchObject({ status: "pending", methodLabel: "Card", amountCents: 2500n });
    const last = await listPayments({ db: t.db, teamId, page: 3 });
    expect(last.items.map((p) => p.id)).toEqual(made.slice(0, 2).reverse());
    // Out-of-range pages clamp to the nearest page.
    expect((await listPayments({ db: t.db, teamId, page: 99 })).page).toBe(3);
    expect((await listPayments({ db: t.db, teamId, page: -1 })).page).toBe(1);
    expect((await listPayments({ db: t.db, teamId: other.teamId })).total).toBe(1);
  });
});
