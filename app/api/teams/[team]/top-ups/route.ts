import { z } from "zod";
import { parseWith, readJson } from "@/lib/auth/api-route";
import { withTeamSession } from "@/lib/auth/team-route";
import { viewPayments } from "@/lib/billing/payments/payment-view";
import { createTopUpCheckout } from "@/lib/billing/topups/create-top-up-checkout";
import { stripeClient } from "@/lib/stripe/client";
import { stripeGateway } from "@/lib/stripe/gateway";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// Strict: the browser sends what the person chose, never credits, prices or a team (those come from the server).
const body = z
  .object({
    amount: z.union([z.string().max(32), z.number()]),
    method: z.string().max(32),
    coupon: z.string().max(64).nullish(),
    ui: z.enum(["embedded", "hosted"]).default("embedded"),
    idempotencyKey: z.string().max(100).nullish(),
  })
  .strict();

/** Starts a top-up: a pending payment and its Stripe Checkout Session (embedded client secret or hosted URL). */
export const POST = withTeamSession("billing:write", async ({ req, actor, team, db }) => {
  const input = parseWith(body, await readJson(req));
  const user = actor.kind === "user" ? await db.user.findUnique({ where: { id: actor.userId }, select: { email: true } }) : null;
  const r = await createTopUpCheckout({
    db,
    gateway: stripeGateway(stripeClient()),
    team,
    actorUserId: actor.kind === "user" ? actor.userId : null,
    customerEmail: user?.email ?? null,
    input: { amount: input.amount, method: input.method, coupon: input.coupon ?? null, idempotencyKey: input.idempotencyKey ?? null },
    ui: input.ui,
    appUrl: process.env.APP_URL ?? new URL(req.url).origin,
  });
  return Response.json(
    { payment: (await viewPayments(db, [r.payment]))[0], checkout: { sessionId: r.sessionId, ui: r.ui, clientSecret: r.clientSecret, url: r.url } },
    { status: 201, headers: { "cache-control": "no-store" } },
  );
});
