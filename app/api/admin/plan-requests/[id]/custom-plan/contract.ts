import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";

const id = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9_-]+$/, "is not an id");

/** POST /api/admin/plan-requests/:id/custom-plan: a plan of the team's own (the price in dollars per cycle). */
export const makeCustomPlanRoute = defineRoute({
  method: "POST",
  path: "/api/admin/plan-requests/:id/custom-plan",
  params: z.object({ id }),
  body: z.strictObject({
    name: z.string(),
    price: z.union([z.string(), z.number()]),
    cycle: z.string(),
    monthlyCredits: z.union([z.string(), z.number()]).nullish(),
    portalDisabled: z.boolean().nullish(),
  }),
  output: z.object({ planId: z.string(), lookupKey: z.string(), billingCycle: z.enum(["MONTHLY", "ANNUAL"]) }),
});
