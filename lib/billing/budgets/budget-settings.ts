import type { Budget } from "../../db/generated/client";

/** A budget's settings as the audit log keeps them (before and after a change): cents as a decimal string. */
export function budgetSettings(b: Pick<Budget, "monthlyCapCents" | "hardCap" | "allowSoftOverage" | "alertEmail">) {
  return { monthlyCapCents: String(b.monthlyCapCents), hardCap: b.hardCap, allowSoftOverage: b.allowSoftOverage, alertEmail: b.alertEmail };
}
