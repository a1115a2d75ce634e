import { getBalance } from "@/lib/billing/ledger/get-balance";
import { creditsToUsd } from "@/lib/billing/money";
import { route } from "@/lib/edge/route";
import { balanceRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(balanceRoute, { auth: "api", permission: "billing:read" }, async ({ db, actor }) => {
  const { balance } = await getBalance({ db, teamId: actor.teamId });
  return { balance: creditsToUsd(balance), currency: "USD" as const };
});
