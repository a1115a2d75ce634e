import { z } from "zod";
import { applicationStatusSchema } from "@/app/api/teams/[team]/credit-line/contract";
import { defineRoute, isoDate, money } from "@/lib/edge/contract";

/**
 * GET /api/v1/billing/credit-line (billing:read): the team's line for programs. status: "none" (no line), "active" or
 * "suspended"; amounts in cents (the money encoding); next_statement_at is null until statements are issued.
 */
export const v1CreditLineRoute = defineRoute({
  method: "GET",
  path: "/api/v1/billing/credit-line",
  output: z.object({
    status: z.enum(["none", "active", "suspended"]),
    limit_cents: money(),
    drawn_cents: money(),
    available_cents: money(),
    next_statement_at: isoDate().nullable(),
    application_status: applicationStatusSchema.nullable(),
  }),
});
