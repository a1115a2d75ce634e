import { z } from "zod";
import { defineRoute, isoDate, money } from "@/lib/edge/contract";
import { billingCycles } from "../contract";

/**
 * POST /api/teams/:team/subscription/preview: what a plan change will cost, from Stripe's own invoice preview. Send
 * the answer's `prorationDate` back with the subscribe request so the charge is exactly the amount shown.
 */
export const previewPlanChangeRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/subscription/preview",
  params: z.object({ team: z.string() }),
  body: z.strictObject({ plan: z.string().max(40), billingCycle: billingCycles }),
  output: z.object({
    kind: z.enum(["new", "upgrade", "downgrade", "cycle_change", "reactivate", "unchanged"]),
    effective: z.enum(["now", "period_end"]),
    amountDueNowCents: money(),
    nextRenewal: z.object({ amountCents: money(), date: isoDate() }).nullable(),
    lines: z.array(z.object({ description: z.string(), amountCents: money() })),
    /** Plan credits the change grants at once (a new plan's monthly credits, an upgrade's difference). */
    creditsGrantedNow: money(),
    /** Unix seconds; null when nothing is prorated. */
    prorationDate: z.number().int().nullable(),
    /** One plain sentence saying what will happen. */
    explanation: z.string(),
  }),
});
