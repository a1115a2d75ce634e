import { z } from "zod";
import { defineRoute, isoDate } from "@/lib/edge/contract";

// Enterprise sign-ins as platform admins review them: people who first signed in through the enterprise OpenID
// Connect provider wait (PENDING) until an admin approves or rejects them with a reason.

export const accessStatusSchema = z.enum(["PENDING", "APPROVED", "REJECTED"]);

export const signInReviewSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  status: accessStatusSchema,
  subject: z.string().nullable(),
  createdAt: isoDate(),
  reason: z.string().nullable(),
  reviewedAt: isoDate().nullable(),
  reviewer: z.object({ name: z.string().nullable(), email: z.string().nullable() }).nullable(),
});

/** GET /api/admin/sign-ins: the sign-ins waiting for review (oldest first) and the latest decisions. */
export const adminSignInsRoute = defineRoute({
  method: "GET",
  path: "/api/admin/sign-ins",
  output: z.object({ pending: z.array(signInReviewSchema), decided: z.array(signInReviewSchema) }),
});

export const signInIdSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9_-]+$/, "is not an id");

/** The body of a decision: the reason is required (the person reads it). */
export const decisionBody = z.strictObject({ reason: z.string().max(5000) });

export const decisionOutput = z.object({ id: z.string(), status: z.enum(["APPROVED", "REJECTED"]), reviewedAt: isoDate() });
