import type { ApiKey } from "../../db/generated/client";

/** What may be shown about a key: never its hash. */
export type ApiKeySummary = Pick<
  ApiKey,
  | "id"
  | "teamId"
  | "name"
  | "prefix"
  | "role"
  | "test"
  | "limitCredits"
  | "limitPeriod"
  | "limitPeriodStart"
  | "limitSpent"
  | "createdByUserId"
  | "lastUsedAt"
  | "revokedAt"
  | "createdAt"
>;

export const apiKeySummarySelect = {
  id: true,
  teamId: true,
  name: true,
  prefix: true,
  role: true,
  test: true,
  limitCredits: true,
  limitPeriod: true,
  limitPeriodStart: true,
  limitSpent: true,
  createdByUserId: true,
  lastUsedAt: true,
  revokedAt: true,
  createdAt: true,
} as const;
