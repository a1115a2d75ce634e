import type { Db } from "../../lib/db/client";
import { createApiKey } from "../../lib/billing/api-keys/create-api-key";
import type { ApiKeyRole } from "../../lib/db/generated/enums";

/** Calls a route handler the way Next does: with a Request. */
export async function call(
  handler: (req: Request) => Promise<Response>,
  opts: { method?: string; key?: string | null; body?: unknown; rawBody?: string; query?: string; headers?: Record<string, string> } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked by the tests' assertions
): Promise<{ status: number; json: any; headers: Headers }> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await handler(
    new Request(`http://localhost/api/v1/x${opts.query ?? ""}`, { method: opts.method ?? (body === undefined ? "GET" : "POST"), headers, body }),
  );
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, headers: res.headers };
}

export async function makeKey(db: Db, teamId: string, userId: string, role: ApiKeyRole = "BILLING"): Promise<{ id: string; secret: string }> {
  const { apiKey, secret } = await createApiKey({ db, teamId, name: `${role.toLowerCase()} key`, role, createdByUserId: userId });
  return { id: apiKey.id, secret };
}

/** Everything a request could change for a team, to prove that a refused request changed nothing. */
export async function snapshot(db: Db, teamId: string) {
  const [team, entries, rollups, counters, grants, alerts, notes, budgets] = await Promise.all([
    db.team.findUniqueOrThrow({ where: { id: teamId }, select: { balance: true } }),
    db.ledgerEntry.count({ where: { teamId } }),
    db.usageRollup.findMany({ where: { teamId } }),
    db.spendCounter.findMany({ where: { teamId } }),
    db.creditGrant.findMany({ where: { teamId }, select: { id: true, remaining: true } }),
    db.budgetAlert.count({ where: { budget: { teamId } } }),
    db.notification.count({ where: { teamId } }),
    db.budget.findMany({ where: { teamId } }),
  ]);
  return { balance: team.balance, entries, rollups, counters, grants, alerts, notes, budgets };
}
