import type { Db, Tx } from "../../db/client";
import type { CreditLineApplication } from "../../db/generated/client";
import { billingConfig, type BillingConfig } from "../config";
import { BillingError } from "../errors";
import { monthlyDollars } from "./application-input";
import { assertNotOwnTeam, assertStatus, dollars, lockApplication, notifyApplicant, recordEvent, requireText } from "./application-rules";
import { guaranteeNeeded, guaranteePaid } from "./guarantee-deposits";
import { assertHealthyCycles } from "./healthy-cycles";
import { setCreditLimit } from "./set-credit-limit";

/**
 * A platform admin approves a submitted application with a monthly limit and a reason. At or above
 * CREDIT_LINE_SECOND_APPROVAL_CENTS it waits for a second, different admin (confirmApproval); below, it takes effect at
 * once through setCreditLimit. Never above the requested limit. Refused for the admin's own team, and (CONFLICT) while a required guarantee is unpaid.
 * Audit-logged.
 */
export async function approveApplication({
  db,
  applicationId,
  adminUserId,
  limit,
  reason,
  now = new Date(),
  config = billingConfig(),
}: {
  db: Db;
  applicationId: string;
  adminUserId: string;
  limit: unknown;
  reason: unknown;
  now?: Date;
  config?: BillingConfig;
}): Promise<CreditLineApplication> {
  const parsed = monthlyDollars("The limit").safeParse(limit);
  if (!parsed.success) throw new BillingError("VALIDATION_FAILED", parsed.error.issues[0]?.message ?? "Enter the limit in dollars.", { field: "limit" });
  const limitCents = parsed.data;
  const why = requireText(reason, "reason", "The reason");
  return db.$transaction(async (tx) => {
    const app = await lockApplication(tx, applicationId);
    assertStatus(app, ["SUBMITTED"], "approved");
    await assertNotOwnTeam(tx, adminUserId, app.teamId, app.applicantUserId);
    const team = await assertIncreaseStillAllowed(tx, app, config);
    if (app.kind === "INCREASE" && limitCents <= team.creditLimitCents) {
      throw new BillingError("VALIDATION_FAILED", `The line is already ${dollars(team.creditLimitCents)}; an increase must be above it.`, { field: "limit" });
    }
    // Never more than asked: the guarantee the applicant can pay is the requested amount's (and the suggestion never exceeds it).
    if (limitCents > app.requestedLimitCents) {
      throw new BillingError("VALIDATION_FAILED", `The applicant asked for ${dollars(app.requestedLimitCents)}; approve at most that.`, { field: "limit" });
    }
    await assertGuaranteePaid(tx, app, limitCents, config, now);
    if (limitCents >= config.creditLine.secondApprovalCents) {
      const to = "AWAITING_SECOND_APPROVAL" as const;
      await recordEvent(tx, app, { actorUserId: adminUserId, action: "approved_first", to, reason: why, data: { limitCents: String(limitCents) } });
      return tx.creditLineApplication.update({
        where: { id: app.id },
        data: { status: to, approvedLimitCents: limitCents, firstApproverUserId: adminUserId, firstApprovedAt: now, reviewReason: why, updatedAt: now },
      });
    }
    return finalApproval(tx, app, { adminUserId, limitCents, reason: why, now, action: "approved" });
  });
}

/**
 * An increase is of a healthy line: once an admin closed it, approving the increase would reopen it; once a statement
 * went late or unpaid, the healthy cycles it was asked with are gone (CONFLICT either way).
 */
export async function assertIncreaseStillAllowed(tx: Tx, app: CreditLineApplication, config: BillingConfig): Promise<{ creditLimitCents: bigint }> {
  const team = await tx.team.findUniqueOrThrow({ where: { id: app.teamId }, select: { creditLimitCents: true } });
  if (app.kind === "INCREASE" && team.creditLimitCents === 0n) {
    throw new BillingError("CONFLICT", "This team's line was closed after the increase was asked for; reject the increase instead.");
  }
  if (app.kind === "INCREASE") await assertHealthyCycles(tx, app.teamId, config.creditLine.healthyCycles, "review");
  return team;
}

/** Refuses (CONFLICT) an approval at a level that needs a guarantee not yet paid in full; notes when it was. */
export async function assertGuaranteePaid(tx: Tx, app: CreditLineApplication, limitCents: bigint, config: BillingConfig, now: Date): Promise<void> {
  const needed = guaranteeNeeded(limitCents, config.creditLine.guaranteeCents);
  if (needed === 0n) return;
  const { paidCents, lastPaymentId } = await guaranteePaid(tx, app);
  if (paidCents < needed) {
    throw new BillingError(
      "CONFLICT",
      `A line of ${dollars(limitCents)} a month needs a guarantee deposit of ${dollars(needed)} first; ${dollars(paidCents)} is paid so far.`,
      { guaranteeCents: String(needed), paidCents: String(paidCents) },
    );
  }
  if (!app.guaranteePaidAt) await tx.creditLineApplication.update({ where: { id: app.id }, data: { guaranteePaidAt: now, guaranteePaymentId: lastPaymentId } });
}

/** APPROVED: the limit takes effect, the applicant is told. Shared with confirmApproval. */
export async function finalApproval(
  tx: Tx,
  app: CreditLineApplication,
  a: { adminUserId: string; limitCents: bigint; reason: string; now: Date; action: string },
): Promise<CreditLineApplication> {
  await setCreditLimit({ db: tx, teamId: app.teamId, limitCents: a.limitCents, actorUserId: a.adminUserId, reason: a.reason, applicationId: app.id });
  await recordEvent(tx, app, { actorUserId: a.adminUserId, action: a.action, to: "APPROVED", reason: a.reason, data: { limitCents: String(a.limitCents) } });
  await notifyApplicant(
    tx,
    app,
    "Your credit line is approved",
    `Your credit line is approved at ${dollars(a.limitCents)} a month. You can now spend below zero down to that limit; what you draw is billed monthly.`,
  );
  return tx.creditLineApplication.update({
    where: { id: app.id },
    data: { status: "APPROVED", approvedLimitCents: a.limitCents, reviewerUserId: a.adminUserId, reviewReason: a.reason, reviewedAt: a.now, updatedAt: a.now },
  });
}
