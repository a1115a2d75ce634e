import { z } from "zod";
import { applicantTypeSchema, applicationStatusSchema, creditLineApplicationSchema } from "@/app/api/teams/[team]/credit-line/contract";
import { defineRoute, isoDate, money } from "@/lib/edge/contract";

// The credit-line review queue for platform admins, and their actions (each with a required reason).

const person = z.object({ name: z.string().nullable(), email: z.string().nullable() });

export const queueItemSchema = creditLineApplicationSchema.extend({
  team: z.object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    creditLimitCents: money(),
    suspended: z.boolean(),
    suspendedReason: z.string().nullable(),
  }),
  applicant: person.nullable(),
  firstApprover: person.nullable(),
  audit: z.array(z.object({ id: z.string(), action: z.string(), actor: person.nullable(), createdAt: isoDate(), reason: z.string().nullable() })),
});

/** GET /api/admin/credit-lines?status=&type=: the queue, oldest first (default: applications under way). */
export const adminCreditLinesRoute = defineRoute({
  method: "GET",
  path: "/api/admin/credit-lines",
  query: z.object({ status: z.union([applicationStatusSchema, z.literal("OPEN")]).optional(), type: applicantTypeSchema.optional() }),
  output: z.object({ applications: z.array(queueItemSchema) }),
});
