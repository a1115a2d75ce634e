import { z } from "zod";
import { parseWith, readJson } from "@/lib/auth/api-route";
import { safeText } from "@/lib/auth/input-text";
import { withTeamSession } from "@/lib/auth/team-route";
import { readBillingDetails } from "@/lib/billing/billing-details/read-billing-details";
import { setBillingDetails } from "@/lib/billing/billing-details/set-billing-details";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const field = safeText().max(1000).nullish();
const body = z
  .object({ companyName: field, addressLine1: field, addressLine2: field, city: field, region: field, postalCode: field, country: field, taxId: field, billingEmail: field })
  .strict();

export const GET = withTeamSession("billing:read", async ({ actor, db }) => Response.json(await readBillingDetails({ db, actor }), { headers: { "cache-control": "no-store" } }));

/** Replaces the billing details invoices print (owners, admins and billing members; others get 403). */
export const PUT = withTeamSession("billing:write", async ({ req, actor, team, db }) => {
  const input = parseWith(body, await readJson(req));
  const saved = await setBillingDetails({ db, teamId: team.id, actorUserId: actor.kind === "user" ? actor.userId : null, input });
  return Response.json(saved, { headers: { "cache-control": "no-store" } });
});
