import { z } from "zod";
import { statementSchema } from "@/lib/billing/statements/draw-summary-schema";
import { defineRoute, isoDate, money } from "@/lib/edge/contract";

// A team's credit line and its application: the form, the status, the reviewer's messages, and the line once approved.

export const applicationStatusSchema = z.enum([
  "DRAFT",
  "SUBMITTED",
  "AWAITING_EMAIL",
  "INFO_REQUESTED",
  "AWAITING_SECOND_APPROVAL",
  "APPROVED",
  "REJECTED",
  "WITHDRAWN",
]);
export const applicantTypeSchema = z.enum(["ENTERPRISE", "INDIVIDUAL_WITH_PRODUCT", "INDIVIDUAL_WITHOUT_PRODUCT"]);

export const creditLineApplicationSchema = z.object({
  id: z.string(),
  teamId: z.string(),
  applicantUserId: z.string(),
  kind: z.enum(["NEW", "INCREASE"]),
  applicantType: applicantTypeSchema,
  status: applicationStatusSchema,
  companyName: z.string().nullable(),
  website: z.string().nullable(),
  productInfo: z.string().nullable(),
  businessUseCase: z.string().nullable(),
  appLink: z.string().nullable(),
  otherMaterials: z.string().nullable(),
  contactEmail: z.string().nullable(),
  contactEmailConfirmedAt: isoDate().nullable(),
  expectedUsageCents: money(),
  requestedLimitCents: money(),
  approvedLimitCents: money().nullable(),
  guaranteeCents: money(),
  guaranteePaidCents: money(),
  guaranteePaymentId: z.string().nullable(),
  guaranteePaidAt: isoDate().nullable(),
  firstApproverUserId: z.string().nullable(),
  firstApprovedAt: isoDate().nullable(),
  reviewerUserId: z.string().nullable(),
  reviewReason: z.string().nullable(),
  reviewedAt: isoDate().nullable(),
  submittedAt: isoDate().nullable(),
  createdAt: isoDate(),
  messages: z.array(z.object({ id: z.string(), fromReviewer: z.boolean(), body: z.string(), createdAt: isoDate() })),
});

export const creditLineViewSchema = z.object({
  application: creditLineApplicationSchema.nullable(),
  draft: creditLineApplicationSchema.nullable(),
  line: z.object({
    limitCents: money(),
    drawnCents: money(),
    availableCents: money(),
    suspended: z.boolean(),
    nextStatementAt: isoDate().nullable(),
    statements: z.array(statementSchema),
  }),
  increase: z.object({ healthyCycles: z.number(), needed: z.number() }),
  guaranteeFromCents: money(),
});

const params = z.object({ team: z.string() });

// Loose shapes here; the core checks each field by applicant type and names the one that is wrong.
const applicationBody = z.strictObject({
  applicantType: z.string(),
  companyName: z.string().nullish(),
  website: z.string().nullish(),
  productInfo: z.string().nullish(),
  businessUseCase: z.string().nullish(),
  appLink: z.string().nullish(),
  otherMaterials: z.string().nullish(),
  contactEmail: z.string().nullish(),
  expectedUsage: z.union([z.string(), z.number()]),
  requestedLimit: z.union([z.string(), z.number()]),
});

/** GET /api/teams/:team/credit-line: the line (limit, drawn, available) and the latest application with its thread. */
export const creditLineRoute = defineRoute({ method: "GET", path: "/api/teams/:team/credit-line", params, output: creditLineViewSchema });

/** POST /api/teams/:team/credit-line: apply (owners, admins and billing members); an increase when the team has a line. */
export const submitCreditLineRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/credit-line",
  params,
  body: applicationBody,
  output: z.object({ application: z.object({ id: z.string(), status: applicationStatusSchema }) }),
});

/** PUT /api/teams/:team/credit-line: keep an unfinished application as the team's draft (fields checked, none required). */
export const saveCreditLineDraftRoute = defineRoute({
  method: "PUT",
  path: "/api/teams/:team/credit-line",
  params,
  body: applicationBody.partial({ expectedUsage: true, requestedLimit: true }),
  output: z.object({ application: z.object({ id: z.string(), status: applicationStatusSchema }) }),
});
