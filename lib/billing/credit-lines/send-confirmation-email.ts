import type { Tx } from "../../db/client";
import type { CreditLineApplication } from "../../db/generated/client";
import type { BillingConfig } from "../config";
import { makeEmailLink } from "./email-link";

/**
 * Emails a fresh confirmation link to the application's company address (through the notifications sweep) and keeps
 * only its nonce's hash, replacing any earlier link. The notification row carries no team user, so the link is not
 * shown in the dashboard: only the mailbox's owner can follow it.
 */
export async function sendConfirmationEmail(
  tx: Tx,
  app: CreditLineApplication,
  { appUrl, now, config }: { appUrl: string; now: Date; config: BillingConfig },
): Promise<CreditLineApplication> {
  const expiresAt = new Date(now.getTime() + config.creditLine.emailLinkHours * 3_600_000);
  const { token, nonceHash } = makeEmailLink(app.id, expiresAt);
  const link = `${appUrl.replace(/\/+$/, "")}/credit-line/confirm?token=${encodeURIComponent(token)}`;
  await tx.notification.create({
    data: {
      teamId: app.teamId,
      kind: "credit_line_email_confirmation",
      title: "Confirm your company's credit-line application",
      body:
        `Someone applied for a Creditdesk credit line for ${app.companyName ?? "your company"} and named this address as the company contact.\n\n` +
        `If that was you or your colleague, confirm it here (the link works once, until ${expiresAt.toISOString()}):\n${link}\n\n` +
        "If you know nothing about it, ignore this email: the application cannot go ahead without this confirmation.",
      email: app.contactEmail,
    },
  });
  return tx.creditLineApplication.update({ where: { id: app.id }, data: { emailTokenHash: nonceHash, emailTokenExpiresAt: expiresAt } });
}
