import type { Tx } from "../../db/client";
import { billingConfig } from "../config";
import { BillingError } from "../errors";
import { centsToCredits } from "../money";
import { withTx } from "../with-tx";
import { evaluateBudgetAlerts } from "./evaluate-budget-alerts";
import { budgetSettings } from "./budget-settings";
import { type BudgetView, getBudget } from "./get-budget";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_CAP_CENTS = 1_000_000_000_00n; // $1bn

/**
 * Sets a monthly budget cap (replacing the previous settings): `scope` "team" for the team, or an API key id of the
 * team for that key. A hard cap, or a soft cap with allowSoftOverage false, blocks spending that would pass the cap
 * with BUDGET_HARD_CAP_HIT; a soft cap only alerts. The cap is kept in cents and in credits at CREDITS_PER_DOLLAR.
 * Alerts are re-evaluated for the new cap at once. Locks the team row (orders with debits); audit-logged.
 */
export async function setBudget({
  db,
  teamId,
  scope = "team",
  monthlyCapCents,
  hardCap = false,
  allowSoftOverage = true,
  alertEmail = null,
  actor = {},
  now,
}: {
  db: Tx;
  teamId: string;
  scope?: string;
  monthlyCapCents: bigint;
  hardCap?: boolean;
  allowSoftOverage?: boolean;
  alertEmail?: string | null;
  actor?: { userId?: string | null; apiKeyId?: string | null };
  now?: Date;
}): Promise<BudgetView> {
  if (typeof monthlyCapCents !== "bigint" || monthlyCapCents <= 0n || monthlyCapCents > MAX_CAP_CENTS) {
    throw new BillingError("VALIDATION_FAILED", "monthly_cap_usd must be more than 0 and at most 1,000,000,000", { field: "monthly_cap_usd" });
  }
  const email = alertEmail?.trim() || null;
  if (email !== null && (email.length > 254 || !EMAIL.test(email)))
    throw new BillingError("VALIDATION_FAILED", "alert_email must be an email address", { field: "alert_email" });
  const monthlyCapCredits = centsToCredits(monthlyCapCents, billingConfig().creditsPerDollar);
  return withTx(db, async (tx) => {
    const locked = await tx.$queryRawUnsafe<{ id: string }[]>(`SELECT id FROM teams WHERE id = $1 FOR UPDATE`, teamId);
    if (locked.length === 0) throw new BillingError("NOT_FOUND", "That team does not exist.");
    if (scope !== "team") {
      const key = await tx.apiKey.findFirst({ where: { id: scope, teamId }, select: { id: true } });
      if (!key) throw new BillingError("NOT_FOUND", "No such API key in this team.");
    }
    const previous = await tx.budget.findUnique({ where: { teamId_scope: { teamId, scope } } });
    const settings = { monthlyCapCents, monthlyCapCredits, hardCap, allowSoftOverage, alertEmail: email };
    const budget = await tx.budget.upsert({ where: { teamId_scope: { teamId, scope } }, create: { teamId, scope, ...settings }, update: settings });
    await evaluateBudgetAlerts({ db: tx, budgetId: budget.id, now });
    await tx.auditLog.create({
      data: {
        teamId,
        actorUserId: actor.userId ?? null,
        actorApiKeyId: actor.apiKeyId ?? null,
        action: "budget.set",
        targetType: "budget",
        targetId: budget.id,
        data: { scope, before: previous ? budgetSettings(previous) : null, after: budgetSettings(budget) },
      },
    });
    return getBudget({ db: tx, teamId, scope, now });
  });
}
