import { z } from "zod";
import { parseWith, readJson } from "@/lib/auth/api-route";
import { withTeamSession } from "@/lib/auth/team-route";
import { viewPayments } from "@/lib/billing/payments/payment-view";
import { cancelTopUpCheckout } from "@/lib/billing/topups/cancel-top-up-checkout";
import { stripeClient } from "@/lib/stripe/client";
import { stripeGateway } from "@/lib/stripe/gateway";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const body = z.object({}).strict();

/**
 * The person's explicit "Cancel this checkout": the session is expired at Stripe and the coupon given back; if Stripe
 * says it was paid meanwhile, it is fulfilled instead, and the answer says so. Never done by a GET.
 */
export const POST = withTeamSession<{ team: string; id: string }>("billing:write", async ({ req, params, team, db }) => {
  parseWith(body, await readJson(req));
  const payment = await cancelTopUpCheckout({ db, gateway: stripeGateway(stripeClient()), teamId: team.id, paymentId: params.id });
  return Response.json({ payment: (await viewPayments(db, [payment]))[0] }, { headers: { "cache-control": "no-store" } });
});
