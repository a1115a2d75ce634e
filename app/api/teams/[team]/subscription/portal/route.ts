import { openBillingPortal } from "@/lib/billing/subscriptions/open-billing-portal";
import { route } from "@/lib/edge/route";
import { billingPortalRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(billingPortalRoute, { auth: "team", permission: "billing:write" }, async ({ db, gateway, appUrl, actor, team }) =>
  openBillingPortal({ db, gateway: gateway(), actor, team, appUrl, returnUrl: null }),
);
