import type { Db, Tx } from "../../db/client";
import type { ApplicationStatus, CreditLineApplication, Prisma } from "../../db/generated/client";
import { isStorableText } from "../../auth/input-text";
import { BillingError } from "../errors";
import { emitCreditLineUpdated } from "../webhooks/billing-events";
import { applicationInputSchema, type ApplicationFields } from "./application-input";

// What every credit-line use case shares: the row lock, the audit row, the reason rule and the applicant's email.

/** An application under way: at most one per team (partial unique index credit_line_applications_one_open_per_team). */
export const OPEN_STATUSES = ["SUBMITTED", "AWAITING_EMAIL", "INFO_REQUESTED", "AWAITING_SECOND_APPROVAL"] as const satisfies ApplicationStatus[];

/** Locks the application row for the rest of the transaction; NOT_FOUND when absent or (with teamId) another team's. */
export async function lockApplication(tx: Tx, id: string, teamId?: string): Promise<CreditLineApplication> {
  await tx.$queryRawUnsafe(`SELECT id FROM credit_line_applications WHERE id = $1 FOR UPDATE`, id);
  const app = await tx.creditLineApplication.findUnique({ where: { id } });
  if (!app || (teamId !== undefined && app.teamId !== teamId)) throw new BillingError("NOT_FOUND", "That credit-line application does not exist.");
  return app;
}

export function assertStatus(app: CreditLineApplication, allowed: readonly ApplicationStatus[], doing: string): void {
  if (!allowed.includes(app.status)) {
    throw new BillingError("CONFLICT", `This application is ${STATUS_WORDS[app.status]}, so it cannot be ${doing} now.`, { status: app.status });
  }
}

export const STATUS_WORDS: Record<ApplicationStatus, string> = {
  DRAFT: "a draft",
  SUBMITTED: "waiting for review",
  AWAITING_EMAIL: "waiting for the company email to be confirmed",
  INFO_REQUESTED: "waiting for more information from the applicant",
  AWAITING_SECOND_APPROVAL: "approved once and waiting for a second admin",
  APPROVED: "approved",
  REJECTED: "rejected",
  WITHDRAWN: "withdrawn",
};

/** A required reason or message: trimmed, 1 to 2000 printable characters. */
export function requireText(value: unknown, field: string, label: string): string {
  const s = typeof value === "string" ? value.trim() : "";
  if (s === "") throw new BillingError("VALIDATION_FAILED", `${label} is required.`, { field });
  if (s.length > 2000) throw new BillingError("VALIDATION_FAILED", `${label} must be at most 2000 characters.`, { field });
  if (!isStorableText(s) || /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s)) {
    throw new BillingError("VALIDATION_FAILED", `${label} must be printable text.`, { field });
  }
  return s;
}

export function parseApplication(input: unknown): ApplicationFields {
  const r = applicationInputSchema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new BillingError("VALIDATION_FAILED", issue?.message ?? "The application is not valid.", { field: String(issue?.path[0] ?? "body") });
}

/** The audit row of one action: who (actor), when (created_at), what (action, from → to), why (reason). */
export async function recordEvent(
  tx: Tx,
  app: Pick<CreditLineApplication, "id" | "teamId" | "status">,
  e: { actorUserId: string | null; action: string; to?: ApplicationStatus; reason?: string | null; data?: Record<string, unknown> },
): Promise<void> {
  const audit = await tx.auditLog.create({
    data: {
      teamId: app.teamId,
      actorUserId: e.actorUserId,
      action: `credit_line.${e.action}`,
      targetType: "credit_line_application",
      targetId: app.id,
      data: { from: app.status, to: e.to ?? app.status, reason: e.reason ?? null, ...e.data },
    },
  });
  // An approval sets the limit (setCreditLimit emits that); a rejection is the other decision a team hears about.
  if (e.to === "REJECTED") {
    await emitCreditLineUpdated(tx, { teamId: app.teamId, change: "application_rejected", changeId: audit.id, reason: e.reason, applicationId: app.id });
  }
}

/**
 * A platform admin who belongs to the team reviews nothing of it: another admin must. Nor one who made the application
 * (given as `applicantUserId`), even after leaving the team.
 */
export async function assertNotOwnTeam(tx: Tx, adminUserId: string, teamId: string, applicantUserId?: string): Promise<void> {
  if (applicantUserId === adminUserId) throw new BillingError("FORBIDDEN", "You made this application, so another platform admin must review it.");
  const member = await tx.membership.findFirst({ where: { teamId, userId: adminUserId }, select: { id: true } });
  if (member) throw new BillingError("FORBIDDEN", "You are a member of this team, so another platform admin must review its credit line.");
}

/** Emails the applicant (through the notifications sweep, when SMTP is configured). Plain text. */
export async function notifyApplicant(tx: Tx, app: Pick<CreditLineApplication, "teamId" | "applicantUserId">, title: string, body: string): Promise<void> {
  const user = await tx.user.findUnique({ where: { id: app.applicantUserId }, select: { email: true } });
  await tx.notification.create({ data: { teamId: app.teamId, userId: app.applicantUserId, kind: "credit_line", title, body, email: user?.email ?? null } });
}

/**
 * A platform admin answers an application (a rejection, a question): under the row lock and the own-team rule, the text
 * is posted to the thread as the reviewer's, the application moves to `to` with `data`, the audit row keeps the text as
 * its reason, and the applicant is emailed `notice`.
 */
export async function reviewerReply(
  db: Db,
  r: {
    applicationId: string;
    adminUserId: string;
    text: string;
    from: readonly ApplicationStatus[];
    doing: string;
    to: ApplicationStatus;
    action: string;
    data: Prisma.CreditLineApplicationUncheckedUpdateInput;
    notice: { title: string; body: string };
    now: Date;
  },
): Promise<void> {
  await db.$transaction(async (tx) => {
    const app = await lockApplication(tx, r.applicationId);
    assertStatus(app, r.from, r.doing);
    await assertNotOwnTeam(tx, r.adminUserId, app.teamId, app.applicantUserId);
    await tx.creditLineMessage.create({ data: { applicationId: app.id, authorUserId: r.adminUserId, fromReviewer: true, body: r.text, createdAt: r.now } });
    await tx.creditLineApplication.update({ where: { id: app.id }, data: { ...r.data, status: r.to, updatedAt: r.now } });
    await recordEvent(tx, app, { actorUserId: r.adminUserId, action: r.action, to: r.to, reason: r.text });
    await notifyApplicant(tx, app, r.notice.title, r.notice.body);
  });
}

/** Dollars for messages: 150000n → "$1,500". */
export const dollars = (cents: bigint) => `$${(cents / 100n).toLocaleString("en-US")}${cents % 100n === 0n ? "" : `.${String(cents % 100n).padStart(2, "0")}`}`;
