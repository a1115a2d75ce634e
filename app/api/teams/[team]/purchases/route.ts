import { getBalance } from "@/lib/billing/ledger/get-balance";
import { viewPayments } from "@/lib/billing/payments/payment-view";
import { buyCredits } from "@/lib/billing/purchases/buy-credits";
import { reply, route } from "@/lib/edge/route";
import { purchaseRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Buy Credit: charges the team's saved card for a bundle or custom amount; 402 NO_PAYMENT_METHOD without one. */
export const POST = route(purchaseRoute, { auth: "team", permission: "billing:write" }, async ({ db, gateway, appUrl, actor, team, body }) => {
  const r = await buyCredits({
    db,
    gateway: gateway(),
    team,
    actorUserId: actor.userId,
    input: { bundle: body.bundle ?? null, amount: body.amount ?? null, idempotencyKey: body.idempotencyKey },
    returnUrl: `${appUrl.replace(/\/+$/, "")}/t/${encodeURIComponent(team.slug)}/buy-credit/return`,
  });
  const [[payment], { balance }] = await Promise.all([viewPayments(db, [r.payment]), getBalance({ db, teamId: team.id })]);
  const out = { outcome: r.outcome, payment: payment!, card: { label: r.card.label }, redirectUrl: r.redirectUrl, balance };
  return reply(out, { status: r.outcome === "credited" ? 201 : 200 });
});
