import { BillingError } from "@/lib/billing/errors";
import { route } from "@/lib/edge/route";
import { currentKeyRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(currentKeyRoute, { auth: "api", permission: "team:read" }, async ({ actor }) => {
  if (actor.kind !== "apiKey") throw new BillingError("NOT_FOUND", "This request was not made with an API key.");
  return { id: actor.apiKeyId, name: actor.keyName, role: actor.keyRole, team_id: actor.teamId, test: actor.test === true };
});
