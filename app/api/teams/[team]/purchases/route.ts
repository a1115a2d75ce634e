import { getBalance } from "@/lib/billing/ledger/get-balance";
import { type PaymentView, viewPayments } from "@/lib/billing/payments/payment-view";
import { buyCredits } from "@/lib/stripe/buy-credits";
import { reply, route } from "@/lib/edge/route";
import { purchaseRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// PaymentView still carries decimal strings here; the contract encodes bigint and Date.
const decoded = (v: PaymentView) => ({
  ...v,
  createdAt: new Date(v.createdAt),
  amountCents: BigInt(v.amountCents),
  credits: BigInt(v.credits),
  bonusCredits: BigInt(v.bonusCredits),
  couponCredits: BigInt(v.couponCredits),
  totalCredits: BigInt(v.totalCredits),
  refundedCents: BigInt(v.refundedCents),
});

/** Buy Credit: charges the team's saved card for a bundle or custom amount; 402 NO_PAYMENT_METHOD without one. */
export const POST = route(purchaseRoute, { auth: "team", permission: "billing:write" }, async ({ db, stripe, appUrl, actor, team, body }) => {
  const r = await buyCredits({
    db,
    stripe: stripe(),
    team,
    actorUserId: actor.userId,
    input: { bundle: body.bundle ?? null, amount: body.amount ?? null, idempotencyKey: body.idempotencyKey },
    returnUrl: `${appUrl.replace(/\/+$/, "")}/t/${encodeURIComponent(team.slug)}/buy-credit/return`,
  });
  const [[payment], { balance }] = await Promise.all([viewPayments(db, [r.payment]), getBalance({ db, teamId: team.id })]);
  const out = { outcome: r.outcome, payment: decoded(payment!), card: { label: r.card.label }, redirectUrl: r.redirectUrl, balance };
  return reply(out, { status: r.outcome === "credited" ? 201 : 200 });
});
