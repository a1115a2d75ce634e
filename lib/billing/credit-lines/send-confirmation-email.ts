import type { Tx } from "../../db/client";
import type { CreditLineApplication } from "../../db/generated/client";
import type { BillingConfig } from "../config";
import { BillingError } from "../errors";
import { makeEmailLink } from "./email-link";

/** Confirmation emails one team, or one address whichever teams name it, may be sent per window. */
export const CONFIRMATION_EMAIL_LIMIT = 5;
export const CONFIRMATION_EMAIL_WINDOW_MS = 60 * 60_000;

/**
 * Emails a fresh confirmation link to the application's company address (through the notifications sweep) and keeps
 * only its nonce's hash, replacing any earlier link. The notification row carries no team user, so the link is not
 * shown in the dashboard: only the mailbox's owner can follow it. The address is chosen by the applicant, so at most CONFIRMATION_EMAIL_LIMIT
 * a window go to one team's applications or to one address (RATE_LIMITED, nothing sent), however often they
 * withdraw, resubmit or resend.
 */
export async function sendConfirmationEmail(
  tx: Tx,
  app: CreditLineApplication,
  { appUrl, now, config }: { appUrl: string; now: Date; config: BillingConfig },
): Promise<CreditLineApplication> {
  const since = new Date(now.getTime() - CONFIRMATION_EMAIL_WINDOW_MS);
  // Sends for one team or one address wait for each other until commit, so the count below cannot be read twice
  // before either writes (the team first, then the address: always in that order, so no two sends deadlock).
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`credit_line_confirmation:team:${app.teamId}`}, 0))`;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('credit_line_confirmation:email:' || lower(regexp_replace(${app.contactEmail ?? ""}, '[+][^@]*@', '@')), 0))`;
  // One address: compared without case or a "+tag" (boss+1@ and boss+2@ reach one mailbox).
  const [row] = await tx.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM notifications
    WHERE kind = 'credit_line_email_confirmation' AND created_at > ${since}
      AND (team_id = ${app.teamId} OR lower(regexp_replace(email, '[+][^@]*@', '@')) = lower(regexp_replace(${app.contactEmail ?? ""}, '[+][^@]*@', '@')))`;
  const recent = row?.n ?? 0;
  if (recent >= CONFIRMATION_EMAIL_LIMIT) {
    throw new BillingError("RATE_LIMITED", "Too many confirmation emails were sent for this team or to this address. Try again in an hour.", {
      field: "contactEmail",
      retryAfterSeconds: CONFIRMATION_EMAIL_WINDOW_MS / 1000,
    });
  }
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
      createdAt: now,
    },
  });
  return tx.creditLineApplication.update({ where: { id: app.id }, data: { emailTokenHash: nonceHash, emailTokenExpiresAt: expiresAt } });
}
