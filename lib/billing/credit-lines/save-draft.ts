import type { Db } from "../../db/client";
import type { CreditLineApplication } from "../../db/generated/client";
import { BillingError } from "../errors";
import { draftInputSchema } from "./application-input";
import { OPEN_STATUSES, recordEvent } from "./application-rules";

/**
 * Keeps an unfinished application as the team's DRAFT (one per team, replaced by each save; submitting sends it).
 * Each field given must be valid, none is required beyond the applicant type. Not while an application is under way.
 * The caller checked billing:write. Audit-logged.
 */
export async function saveDraft({
  db,
  teamId,
  actorUserId,
  input,
  now = new Date(),
}: {
  db: Db;
  teamId: string;
  actorUserId: string;
  input: unknown;
  now?: Date;
}): Promise<CreditLineApplication> {
  const r = draftInputSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new BillingError("VALIDATION_FAILED", issue?.message ?? "The draft is not valid.", { field: String(issue?.path[0] ?? "body") });
  }
  const { expectedUsage, requestedLimit, ...v } = r.data;
  return db.$transaction(async (tx) => {
    await tx.$queryRawUnsafe(`SELECT id FROM teams WHERE id = $1 FOR UPDATE`, teamId);
    const open = await tx.creditLineApplication.findFirst({ where: { teamId, status: { in: [...OPEN_STATUSES] } }, select: { id: true } });
    if (open) throw new BillingError("CONFLICT", "This team already has a credit-line application under way.");
    // Amounts not given yet are kept as 0 (the columns are required); submitting checks them.
    const data = { ...v, applicantUserId: actorUserId, expectedUsageCents: expectedUsage ?? 0n, requestedLimitCents: requestedLimit ?? 0n, updatedAt: now };
    const draft = await tx.creditLineApplication.findFirst({ where: { teamId, status: "DRAFT" }, orderBy: { createdAt: "desc" } });
    const app = draft
      ? await tx.creditLineApplication.update({ where: { id: draft.id }, data })
      : await tx.creditLineApplication.create({ data: { teamId, status: "DRAFT", ...data, createdAt: now } });
    await recordEvent(tx, app, { actorUserId, action: "draft_saved" });
    return app;
  });
}
