import type { Db } from "../../db/client";
import { billingConfig, type BillingConfig } from "../config";
import { BillingError } from "../errors";
import { assertStatus, lockApplication, recordEvent } from "./application-rules";
import { sendConfirmationEmail } from "./send-confirmation-email";

const RESEND_AFTER_MS = 60_000;

/** The applicant asks for a new confirmation link (the old one stops working). At most one a minute. Audit-logged. */
export async function resendConfirmation({
  db,
  teamId,
  applicationId,
  actorUserId,
  appUrl,
  now = new Date(),
  config = billingConfig(),
}: {
  db: Db;
  teamId: string;
  applicationId: string;
  actorUserId: string;
  appUrl: string;
  now?: Date;
  config?: BillingConfig;
}): Promise<void> {
  await db.$transaction(async (tx) => {
    const app = await lockApplication(tx, applicationId, teamId);
    assertStatus(app, ["AWAITING_EMAIL"], "sent a new confirmation link");
    const sentAt = app.emailTokenExpiresAt ? app.emailTokenExpiresAt.getTime() - config.creditLine.emailLinkHours * 3_600_000 : 0;
    if (now.getTime() - sentAt < RESEND_AFTER_MS) {
      throw new BillingError("RATE_LIMITED", "A link was sent less than a minute ago. Check the inbox (and spam) first.", { retryAfterSeconds: 60 });
    }
    await sendConfirmationEmail(tx, app, { appUrl, now, config });
    await recordEvent(tx, app, { actorUserId, action: "email_resent", data: { email: app.contactEmail } });
  });
}
