import { z } from "zod";
import { defineRoute, isoDate, money } from "@/lib/edge/contract";
import { drawSummarySchema } from "@/lib/billing/statements/draw-summary-schema";

const entry = z.object({
  id: z.string(),
  createdAt: isoDate(),
  kind: z.string(),
  description: z.string().nullable(),
  operation: z.string().nullable(),
  amount: money(),
  amountCents: money().nullable(),
  balanceAfter: money(),
  test: z.boolean(),
});

/**
 * GET /api/teams/:team/overview: the Overview's figures (balance, cycle, usage, recent entries; budget and auto top-up
 * only for roles with billing:read, left out otherwise), for the page's Refresh and polling.
 */
export const overviewRoute = defineRoute({
  method: "GET",
  path: "/api/teams/:team/overview",
  params: z.object({ team: z.string() }),
  output: z.object({
    asOf: isoDate(),
    balance: money(),
    balanceCents: money(),
    available: money(),
    creditLimit: money(),
    drawn: money(),
    cycle: z.object({
      start: isoDate(),
      end: isoDate(),
      source: z.enum(["subscription", "month"]),
      opening: money(),
      plan: money(),
      purchased: money(),
      granted: money(),
      removed: money(),
      total: money(),
      used: money(),
      remaining: money(),
    }),
    plan: z.object({
      id: z.string(),
      name: z.string(),
      free: z.boolean(),
      canBuyCredits: z.boolean(),
      monthlyCredits: money().nullable(),
      status: z.string().nullable(),
      renewsAt: isoDate().nullable(),
      cancelAtPeriodEnd: z.boolean(),
    }),
    budget: z
      .object({
        capCredits: money(),
        capCents: money(),
        spendCredits: money(),
        spendCents: money(),
        percent: z.number(),
        hardCap: z.boolean(),
        thresholds: z.array(z.number()),
        alertsSent: z.array(z.number()),
        month: z.string(),
      })
      .nullable()
      .optional(),
    forecast: z.object({ avgDailyCredits: money(), daysLeft: z.number().nullable() }),
    lowBalance: z.object({ low: z.boolean(), reason: z.string().nullable() }),
    nextExpiry: z.object({ at: isoDate(), credits: money() }).nullable(),
    usage: z.object({
      days: z.array(z.object({ day: z.string(), credits: money(), byOperation: z.record(z.string(), money()) })),
      operations: z.array(z.object({ operation: z.string(), credits: money(), quantity: money(), events: money() })),
    }),
    recent: z.array(entry),
    pendingPayments: z.number(),
    draw: drawSummarySchema.optional(),
    autoTopUp: z.object({ enabled: z.boolean(), disabledReason: z.string().nullable(), thresholdCredits: money().nullable() }).optional(),
  }),
});
