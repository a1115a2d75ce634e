import { closeCreditLine } from "@/lib/billing/credit-lines/close-credit-line";
import { lowerCreditLine } from "@/lib/billing/credit-lines/lower-credit-line";
import { setLineSuspended } from "@/lib/billing/credit-lines/suspend-credit-line";
import { route } from "@/lib/edge/route";
import { manageCreditLineRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(manageCreditLineRoute, { auth: "admin" }, async ({ db, admin, params, body }) => {
  const common = { db, teamId: params.teamId, adminUserId: admin.id, reason: body.reason };
  if (body.action === "lower") return lowerCreditLine({ ...common, limit: body.limit });
  if (body.action === "close") return closeCreditLine(common);
  return setLineSuspended({ ...common, suspended: body.action === "suspend" });
});
