import { requestAdjustment } from "@/lib/billing/adjustments/request-adjustment";
import { reply, route } from "@/lib/edge/route";
import { adjustCreditsRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(adjustCreditsRoute, { auth: "admin" }, async ({ db, admin, params, body }) => {
  const r = await requestAdjustment({ db, teamId: params.teamId, adminUserId: admin.id, input: body });
  const out =
    r.outcome === "applied"
      ? { outcome: r.outcome, id: r.entry.id, amount: r.entry.amount, duplicate: r.duplicate }
      : { outcome: r.outcome, id: r.request.id, amount: r.request.amount, duplicate: r.duplicate };
  return reply(out, { status: r.outcome === "pending" ? 202 : 201 });
});
