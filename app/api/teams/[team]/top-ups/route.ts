import { viewPayments } from "@/lib/billing/payments/payment-view";
import { reply, route } from "@/lib/edge/route";
import { createTopUpCheckoutFor } from "@/lib/billing/topups/create-top-up-checkout";
import { startTopUpRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(startTopUpRoute, { auth: "team", permission: "billing:write" }, async ({ db, gateway, appUrl, actor, team, body }) => {
  const r = await createTopUpCheckoutFor({
    db,
    gateway: gateway(),
    team,
    actor,
    input: { amount: body.amount, method: body.method, coupon: body.coupon ?? null, idempotencyKey: body.idempotencyKey ?? null },
    ui: body.ui,
    appUrl,
  });
  const [payment] = await viewPayments(db, [r.payment]);
  return reply({ payment: payment!, checkout: { sessionId: r.sessionId, ui: r.ui, clientSecret: r.clientSecret, url: r.url } }, { status: 201 });
});
