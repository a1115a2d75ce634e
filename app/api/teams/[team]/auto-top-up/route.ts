import { z } from "zod";
import { parseWith, readJson } from "@/lib/auth/api-route";
import { withTeamSession } from "@/lib/auth/team-route";
import type { AutoTopUpView } from "@/lib/billing/auto-top-up/get-auto-top-up";
import { readAutoTopUp } from "@/lib/billing/auto-top-up/read-auto-top-up";
import { setAutoTopUp } from "@/lib/billing/auto-top-up/set-auto-top-up";
import { BillingError } from "@/lib/billing/errors";
import { forgetAutoTopUpSettings } from "@/lib/billing/auto-top-up/trigger-auto-top-up";
import { getSavedCard } from "@/lib/billing/cards/get-saved-card";
import { stripeClient } from "@/lib/stripe/client";
import { stripeGateway } from "@/lib/stripe/gateway";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const body = z
  .object({
    enabled: z.boolean({ error: "must be true or false" }),
    threshold: z.string().max(32),
    amount: z.string().max(32),
    maxPerMonth: z.number({ error: "must be a number" }),
  })
  .strict();

const shape = (v: AutoTopUpView) => ({
  enabled: v.enabled,
  threshold: v.thresholdCredits.toString(),
  amountCents: v.amountCents.toString(),
  credits: v.credits.toString(),
  maxPerMonth: v.maxPerMonth,
  chargesThisMonth: v.chargesThisMonth,
  disabledReason: v.disabledReason,
});

export const GET = withTeamSession("billing:read", async ({ actor, db }) => Response.json(shape(await readAutoTopUp({ db, actor })), { headers: { "cache-control": "no-store" } }));

/** Sets auto top-up; turning it on needs a paid plan and a saved card (402 NO_PAYMENT_METHOD). Audit-logged by the core. */
export const PUT = withTeamSession("billing:write", async ({ req, actor, team, db }) => {
  const input = parseWith(body, await readJson(req));
  if (input.enabled && !(await getSavedCard({ gateway: stripeGateway(stripeClient()), customerId: team.stripeCustomerId }))) {
    throw new BillingError("NO_PAYMENT_METHOD", "Add a card first: auto top-up charges the saved card.", { field: "enabled" });
  }
  const view = await setAutoTopUp({ db, teamId: team.id, actorUserId: actor.kind === "user" ? actor.userId : null, input });
  forgetAutoTopUpSettings(team.id);
  return Response.json(shape(view), { headers: { "cache-control": "no-store" } });
});
