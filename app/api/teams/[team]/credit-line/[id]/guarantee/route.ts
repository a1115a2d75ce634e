import { startGuaranteeDeposit } from "@/lib/billing/credit-lines/start-guarantee-deposit";
import { reply, route } from "@/lib/edge/route";
import { guaranteeCreditLineRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(
  guaranteeCreditLineRoute,
  { auth: "team", permission: "billing:write" },
  async ({ db, gateway, team, actor, params, body, appUrl }) => {
    const r = await startGuaranteeDeposit({ db, gateway: gateway(), team, actor, applicationId: params.id, ui: body.ui, appUrl });
    return reply(
      { paymentId: r.payment.id, amountCents: r.payment.amountCents, checkout: { sessionId: r.sessionId, ui: r.ui, clientSecret: r.clientSecret, url: r.url } },
      { status: 201 },
    );
  },
);
