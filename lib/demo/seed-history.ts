import type { Tx } from "../db/client";
import { billingConfig } from "../billing/config";
import { creditCredits } from "../billing/ledger/credit-credits";
import { setBudget } from "../billing/budgets/set-budget";
import { recordUsage } from "../billing/usage/record-usage";

const DAY = 24 * 3600 * 1000;

/** A paid top-up as fulfilment leaves it: a succeeded payment and its credits. */
async function seedTopUp(db: Tx, teamId: string, amountCents: bigint, method: string, daysAgo: number, key: string) {
  const credits = (amountCents * billingConfig().creditsPerDollar) / 100n;
  const at = new Date(Date.now() - daysAgo * DAY);
  const payment = await db.payment.create({
    data: { teamId, kind: "TOPUP", status: "SUCCEEDED", method, amountCents, credits, idempotencyKey: `demo:${key}`, succeededAt: at, createdAt: at },
  });
  await creditCredits({
    db,
    teamId,
    amount: credits,
    kind: "TOPUP",
    idempotencyKey: `topup:${payment.id}`,
    paymentId: payment.id,
    occurredAt: at,
    description: "Demo top-up",
  });
}

/** Usage spread over the last `days` days through the real usage path (price table, rollups, budgets). */
async function seedUsage(db: Tx, teamId: string, days: number, scale: number, key: string) {
  const ops = [
    ["add", 40_000],
    ["multiply", 6_000],
    ["matmul", 900],
    ["bootstrap", 120],
    ["infer_7b", 300],
    ["infer_70b", 25],
  ] as const;
  const events = [];
  for (let d = days; d >= 1; d--) {
    for (const [operation, base] of ops) {
      const wobble = 0.6 + ((d * 7919 + operation.length * 104729) % 80) / 100;
      events.push({
        idempotencyKey: `demo-${key}-${d}-${operation}`,
        operation,
        quantity: Math.max(1, Math.round(base * scale * wobble)),
        timestamp: new Date(Date.now() - d * DAY + 3600_000),
      });
    }
  }
  await recordUsage({ db, teamId, events, now: new Date() });
}

export async function seedHistory(db: Tx, teams: { acme: string; erin: string; olivia: string }) {
  await seedTopUp(db, teams.acme, 25_000n, "card", 24, "acme-1");
  await seedTopUp(db, teams.acme, 10_000n, "paypal", 9, "acme-2");
  await seedUsage(db, teams.acme, 14, 1, "acme");
  await seedTopUp(db, teams.erin, 2_500n, "card", 5, "erin-1");
  await seedUsage(db, teams.erin, 5, 0.05, "erin");
  await setBudget({ db, teamId: teams.acme, monthlyCapCents: 50_000n, hardCap: false, alertEmail: "ops@acme.example" });
}
