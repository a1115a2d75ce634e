import { readBillingDetails } from "@/lib/billing/billing-details/read-billing-details";
import { setBillingDetails } from "@/lib/billing/billing-details/set-billing-details";
import { route } from "@/lib/edge/route";
import { billingDetailsRoute, saveBillingDetailsRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(billingDetailsRoute, { auth: "team", permission: "billing:read" }, async ({ db, actor }) => readBillingDetails({ db, actor }));

/** Replaces the billing details invoices print (owners, admins and billing members; others get 403). */
export const PUT = route(saveBillingDetailsRoute, { auth: "team", permission: "billing:write" }, async ({ db, actor, team, body }) =>
  setBillingDetails({ db, teamId: team.id, actorUserId: actor.userId, input: body }),
);
