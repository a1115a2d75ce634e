import { z } from "zod";
import { parseWith, readJson } from "@/lib/auth/api-route";
import { withTeamSession } from "@/lib/auth/team-route";
import { parseTopUpAmount } from "@/lib/billing/topups/parse-top-up-amount";
import { quoteTopUp } from "@/lib/billing/topups/quote-top-up";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const body = z.object({ amount: z.union([z.string().max(32), z.number()]).nullish(), coupon: z.string().max(64).nullish() }).strict();

/** What a top-up would give (the coupon's effect, or COUPON_INVALID with the reason), before paying. */
export const POST = withTeamSession("billing:write", async ({ req, team, db }) => {
  const input = parseWith(body, await readJson(req));
  const hasAmount = input.amount !== undefined && input.amount !== null && input.amount !== "";
  const q = await quoteTopUp({ db, teamId: team.id, amountCents: hasAmount ? parseTopUpAmount(input.amount) : null, couponCode: input.coupon ?? null });
  return Response.json(
    {
      quote: {
        amountCents: q.amountCents?.toString() ?? null,
        credits: q.credits.toString(),
        bonusCredits: q.bonusCredits.toString(),
        couponCredits: q.couponCredits.toString(),
        totalCredits: q.totalCredits.toString(),
        coupon: q.coupon,
      },
    },
    { headers: { "cache-control": "no-store" } },
  );
});
