import { getBalance } from "@/lib/billing/ledger/get-balance";
import { route } from "@/lib/edge/route";
import { balanceRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(balanceRoute, { auth: "team", permission: "team:read" }, async ({ db, team }) => {
  const b = await getBalance({ db, teamId: team.id });
  return { team: team.slug, balance: b.balance, credit_limit: b.creditLimitCredits, as_of: new Date() };
});
