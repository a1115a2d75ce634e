import { z } from "zod";
import { parseWith, readJson } from "@/lib/auth/api-route";
import { withTeamSession } from "@/lib/auth/team-route";
import { viewPayments } from "@/lib/billing/payments/payment-view";
import { buyCredits } from "@/lib/billing/purchases/buy-credits";
import { stripeClient } from "@/lib/stripe/client";
import { stripeGateway } from "@/lib/stripe/gateway";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// Strict: the browser sends what the person chose (a bundle id or dollars as typed) and one key per attempt, never
// credits, prices or a card.
const body = z
  .object({
    bundle: z.string().max(16).nullish(),
    amount: z.string().max(32).nullish(),
    idempotencyKey: z.string().max(100),
  })
  .strict();

/** Buy Credit: charges the team's saved card for a bundle or custom amount; 402 NO_PAYMENT_METHOD without one. */
export const POST = withTeamSession("billing:write", async ({ req, actor, team, db }) => {
  const input = parseWith(body, await readJson(req));
  const appUrl = (process.env.APP_URL ?? new URL(req.url).origin).replace(/\/+$/, "");
  const r = await buyCredits({
    db,
    gateway: stripeGateway(stripeClient()),
    team,
    actorUserId: actor.kind === "user" ? actor.userId : null,
    input: { bundle: input.bundle ?? null, amount: input.amount ?? null, idempotencyKey: input.idempotencyKey },
    returnUrl: `${appUrl}/t/${encodeURIComponent(team.slug)}/buy-credit/return`,
  });
  const balance = await db.team.findUniqueOrThrow({ where: { id: team.id }, select: { balance: true } });
  return Response.json(
    { outcome: r.outcome, payment: (await viewPayments(db, [r.payment]))[0], card: { label: r.card.label }, redirectUrl: r.redirectUrl, balance: balance.balance.toString() },
    { status: r.outcome === "credited" ? 201 : 200, headers: { "cache-control": "no-store" } },
  );
});
