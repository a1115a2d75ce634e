import type { Db } from "../../db/client";
import type { CreditLineApplication } from "../../db/generated/client";
import { billingConfig, type BillingConfig } from "../config";
import { BillingError } from "../errors";
import { assertNotOwnTeam, assertStatus, lockApplication, requireText } from "./application-rules";
import { assertGuaranteePaid, assertIncreaseStillAllowed, finalApproval } from "./approve-application";

/**
 * The second platform admin confirms an approval at or above CREDIT_LINE_SECOND_APPROVAL_CENTS, which then takes
 * effect. Not the first approver, not a member of the team. Concurrent confirms confirm once: the row lock orders
 * them and the later one finds the application APPROVED (CONFLICT). Audit-logged.
 */
export async function confirmApproval({
  db,
  applicationId,
  adminUserId,
  reason,
  now = new Date(),
  config = billingConfig(),
}: {
  db: Db;
  applicationId: string;
  adminUserId: string;
  reason: unknown;
  now?: Date;
  config?: BillingConfig;
}): Promise<CreditLineApplication> {
  const why = requireText(reason, "reason", "The reason");
  return db.$transaction(async (tx) => {
    const app = await lockApplication(tx, applicationId);
    assertStatus(app, ["AWAITING_SECOND_APPROVAL"], "confirmed");
    if (app.firstApproverUserId === adminUserId) {
      throw new BillingError("FORBIDDEN", "You approved this yourself; a different platform admin must confirm it.");
    }
    await assertNotOwnTeam(tx, adminUserId, app.teamId, app.applicantUserId);
    await assertIncreaseStillAllowed(tx, app, config);
    const limitCents = app.approvedLimitCents!;
    await assertGuaranteePaid(tx, app, limitCents, config, now);
    return finalApproval(tx, app, { adminUserId, limitCents, reason: why, now, action: "approval_confirmed" });
  });
}
