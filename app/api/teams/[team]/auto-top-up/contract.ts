import { z } from "zod";
import { defineRoute, money } from "@/lib/edge/contract";

const params = z.object({ team: z.string() });

/** A team's auto top-up settings, and how many charges it made this UTC month. */
const settings = z.object({
  enabled: z.boolean(),
  threshold: money(),
  amountCents: money(),
  credits: money(),
  maxPerMonth: z.number(),
  chargesThisMonth: z.number(),
  disabledReason: z.string().nullable(),
});

/** GET /api/teams/:team/auto-top-up: the settings (billing:read). */
export const autoTopUpRoute = defineRoute({ method: "GET", path: "/api/teams/:team/auto-top-up", params, output: settings });

/**
 * PUT /api/teams/:team/auto-top-up: sets auto top-up; turning it on needs a paid plan and a saved card (402
 * NO_PAYMENT_METHOD). The threshold is credits and the amount dollars, as typed; the core checks both.
 */
export const setAutoTopUpRoute = defineRoute({
  method: "PUT",
  path: "/api/teams/:team/auto-top-up",
  params,
  body: z
    .object({
      enabled: z.boolean({ error: "must be true or false" }),
      threshold: z.string().max(32),
      amount: z.string().max(32),
      maxPerMonth: z.number({ error: "must be a number" }),
    })
    .strict(),
  output: settings,
});
