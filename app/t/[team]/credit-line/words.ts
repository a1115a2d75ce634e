import type { OutputOf } from "@/lib/edge/contract";
import type { creditLineRoute } from "@/app/api/teams/[team]/credit-line/contract";

export type CreditLineData = OutputOf<typeof creditLineRoute>;
export type Application = NonNullable<CreditLineData["application"]>;

/** Each status in the applicant's words. */
export const STATUS_TEXT: Record<Application["status"], string> = {
  DRAFT: "Draft: not sent yet.",
  SUBMITTED: "Submitted: a reviewer will look at it soon.",
  AWAITING_EMAIL: "Waiting for email confirmation: follow the link we emailed to the company address.",
  INFO_REQUESTED: "More information requested: answer the reviewer below.",
  AWAITING_SECOND_APPROVAL: "Approved by one reviewer; a second reviewer confirms larger lines.",
  APPROVED: "Approved.",
  REJECTED: "Not approved.",
  WITHDRAWN: "Withdrawn.",
};

export const TYPE_TEXT: Record<Application["applicantType"], string> = {
  ENTERPRISE: "Enterprise",
  INDIVIDUAL_WITH_PRODUCT: "Individual with a product",
  INDIVIDUAL_WITHOUT_PRODUCT: "Individual without a product",
};

export const OPEN = ["SUBMITTED", "AWAITING_EMAIL", "INFO_REQUESTED", "AWAITING_SECOND_APPROVAL"] as const;
export const isOpen = (s: Application["status"]) => (OPEN as readonly string[]).includes(s);
