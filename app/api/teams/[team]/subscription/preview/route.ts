import { previewPlanChange } from "@/lib/billing/subscriptions/preview-plan-change";
import { route } from "@/lib/edge/route";
import { previewPlanChangeRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(previewPlanChangeRoute, { auth: "team", permission: "billing:write" }, async ({ db, gateway, actor, team, body }) =>
  previewPlanChange({ db, gateway: gateway(), actor, team, planId: body.plan, cycle: body.billingCycle === "annual" ? "ANNUAL" : "MONTHLY" }),
);
