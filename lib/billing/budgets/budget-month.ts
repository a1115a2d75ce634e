/** The UTC month a moment belongs to, "YYYY-MM" (budgets, spend counters and alerts reset at its boundary). */
export function budgetMonth(at: Date = new Date()): string {
  return at.toISOString().slice(0, 7);
}
