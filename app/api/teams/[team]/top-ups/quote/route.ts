import { parseTopUpAmount } from "@/lib/billing/topups/parse-top-up-amount";
import { quoteTopUp } from "@/lib/billing/topups/quote-top-up";
import { route } from "@/lib/edge/route";
import { quoteTopUpRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(quoteTopUpRoute, { auth: "team", permission: "billing:write" }, async ({ db, team, body }) => {
  const hasAmount = body.amount !== undefined && body.amount !== null && body.amount !== "";
  const quote = await quoteTopUp({ db, teamId: team.id, amountCents: hasAmount ? parseTopUpAmount(body.amount) : null, couponCode: body.coupon ?? null });
  return { quote };
});
