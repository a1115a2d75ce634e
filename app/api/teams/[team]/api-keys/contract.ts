import { z } from "zod";
import { defineRoute, isoDate, money } from "@/lib/edge/contract";

// A team's API keys: owners and admins (apikeys:manage). The secret is answered once, by create, and never again.

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  role: z.enum(["READ_ONLY", "BILLING"]),
  /** A test key (cdk_test_…): spends the balance but never below zero and never starts a charge. */
  test: z.boolean(),
  /** The spending limit with what was spent through the key in the current UTC period, or null for none. */
  limit: z.object({ credits: money(), period: z.enum(["DAY", "WEEK", "MONTH"]), spent: money(), periodStart: isoDate(), periodEnd: isoDate() }).nullable(),
  createdAt: isoDate(),
  lastUsedAt: isoDate().nullable(),
  revokedAt: isoDate().nullable(),
});

/** GET /api/teams/:team/api-keys: the team's keys (active first, newest first), never their secrets. */
export const apiKeysRoute = defineRoute({
  method: "GET",
  path: "/api/teams/:team/api-keys",
  params: z.object({ team: z.string() }),
  output: z.object({ keys: z.array(apiKeySchema) }),
});

/** POST /api/teams/:team/api-keys: a new key; its secret is in this answer only. */
export const createApiKeyRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/api-keys",
  params: z.object({ team: z.string() }),
  body: z.strictObject({
    name: z.string().trim().min(1, "Give the key a name").max(100, "At most 100 characters"),
    role: z.enum(["READ_ONLY", "BILLING"], { error: "Choose read-only or billing" }),
    mode: z.enum(["live", "test"], { error: "Choose live or test" }).default("live"),
  }),
  output: z.object({ id: z.string(), name: z.string(), test: z.boolean(), secret: z.string() }),
});
