import type { Tx } from "../../db/client";
import { billingConfig, type BillingConfig } from "../config";
import { creditsToCents } from "../money";
import { getDrawSummary, type StatementView } from "../statements/get-draw-summary";
import { type ApplicationView, applicationViews, MESSAGES_INCLUDE } from "./application-view";
import { countHealthyCycles } from "./healthy-cycles";

export type CreditLineView = {
  /** The team's latest application (any status), or null when it never applied. */
  application: ApplicationView | null;
  /** The team's saved, unsent draft, or null. */
  draft: ApplicationView | null;
  line: {
    limitCents: bigint;
    /** What the balance is below zero, in cents. */
    drawnCents: bigint;
    /** What more may be drawn: 0 while suspended. */
    availableCents: bigint;
    suspended: boolean;
    /** When the running cycle closes and what is drawn is billed; null without a line. */
    nextStatementAt: Date | null;
    /** The latest statements of the line, newest first. */
    statements: StatementView[];
  };
  increase: { healthyCycles: number; needed: number };
  /** A request at or above this needs a guarantee deposit of the requested amount. */
  guaranteeFromCents: bigint;
};

/** A team's credit line and latest application (team page, GET /api/v1/billing/credit-line). The caller checked billing:read. */
export async function getCreditLine({ db, teamId, config = billingConfig() }: { db: Tx; teamId: string; config?: BillingConfig }): Promise<CreditLineView> {
  const [team, latest, healthy, draft, draw] = await Promise.all([
    db.team.findUniqueOrThrow({ where: { id: teamId }, select: { balance: true, creditLimitCents: true, drawSuspendedAt: true } }),
    db.creditLineApplication.findFirst({ where: { teamId, status: { not: "DRAFT" } }, orderBy: { createdAt: "desc" }, include: MESSAGES_INCLUDE }),
    countHealthyCycles(db, teamId, Math.max(config.creditLine.healthyCycles, 1)),
    db.creditLineApplication.findFirst({ where: { teamId, status: "DRAFT" }, orderBy: { createdAt: "desc" }, include: MESSAGES_INCLUDE }),
    getDrawSummary({ db, teamId }),
  ]);
  const statements = draw.recent.filter((st) => st.kind === "CREDIT_LINE");
  const drawnCents = team.balance < 0n ? creditsToCents(-team.balance, config.creditsPerDollar) : 0n;
  const suspended = team.drawSuspendedAt !== null;
  const left = team.creditLimitCents - drawnCents;
  return {
    application: latest ? forApplicant((await applicationViews(db, [latest]))[0] ?? null) : null,
    draft: draft ? ((await applicationViews(db, [draft]))[0] ?? null) : null,
    line: {
      limitCents: team.creditLimitCents,
      drawnCents,
      availableCents: suspended || left < 0n ? 0n : left,
      suspended,
      nextStatementAt: team.creditLimitCents > 0n || team.balance < 0n ? draw.nextStatementAt : null,
      statements,
    },
    increase: { healthyCycles: healthy, needed: config.creditLine.healthyCycles },
    guaranteeFromCents: config.creditLine.guaranteeCents,
  };
}

/**
 * What the team sees of its application: never which platform admins reviewed it, and nothing of a first approval
 * while it waits for the second admin (the limit and reason are the reviewers' until the decision is made).
 */
function forApplicant(app: ApplicationView | null): ApplicationView | null {
  if (!app) return null;
  const pending = app.status === "AWAITING_SECOND_APPROVAL";
  return {
    ...app,
    firstApproverUserId: null,
    reviewerUserId: null,
    ...(pending && { approvedLimitCents: null, reviewReason: null, firstApprovedAt: null }),
  };
}
