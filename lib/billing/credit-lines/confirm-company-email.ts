import type { Db } from "../../db/client";
import { BillingError } from "../errors";
import { lockApplication, recordEvent } from "./application-rules";
import { readEmailLink } from "./email-link";

/**
 * The company address followed its link: the application moves from AWAITING_EMAIL to the review queue. A forged,
 * edited or expired link is VALIDATION_FAILED; a used or replaced one is CONFLICT. Concurrent uses of one link
 * confirm once (the row lock orders them; the second finds the hash cleared). Audit-logged.
 */
export async function confirmCompanyEmail({ db, token, now = new Date() }: { db: Db; token: unknown; now?: Date }): Promise<{ companyName: string | null }> {
  const link = readEmailLink(token, now);
  return db.$transaction(async (tx) => {
    const app = await lockApplication(tx, link.applicationId).catch(() => {
      throw new BillingError("VALIDATION_FAILED", "This confirmation link is not valid.", { field: "token" });
    });
    if (app.status !== "AWAITING_EMAIL" || app.emailTokenHash !== link.nonceHash) {
      throw new BillingError("CONFLICT", "This confirmation link was already used, or a newer one was sent. Nothing was changed.");
    }
    await tx.creditLineApplication.update({
      where: { id: app.id },
      data: { status: "SUBMITTED", contactEmailConfirmedAt: now, emailTokenHash: null, emailTokenExpiresAt: null, updatedAt: now },
    });
    await recordEvent(tx, app, { actorUserId: null, action: "email_confirmed", to: "SUBMITTED", data: { email: app.contactEmail } });
    return { companyName: app.companyName };
  });
}
