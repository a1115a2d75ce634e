import { z } from "zod";
import { defineRoute, money } from "@/lib/edge/contract";

// The admin console's customers (platform admins only).

/** GET /api/admin/customers?q=: teams whose name, slug or a member's email begins with q, or with that Stripe customer or team id. */
export const searchCustomersRoute = defineRoute({
  method: "GET",
  path: "/api/admin/customers",
  query: z.object({ q: z.string().optional() }),
  output: z.object({
    customers: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        slug: z.string(),
        stripeCustomerId: z.string().nullable(),
        balance: money(),
        emails: z.array(z.string()),
        matchedBy: z.array(z.enum(["name", "slug", "email", "id"])),
      }),
    ),
  }),
});
