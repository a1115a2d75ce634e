import { z } from "zod";
import { parseWith, readJson } from "@/lib/auth/api-route";
import { withTeamSession } from "@/lib/auth/team-route";
import { redeemCoupon } from "@/lib/billing/coupons/redeem-coupon";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const body = z.object({ code: z.string().max(64) }).strict();

/** Redeems a code that grants credits without a top-up. */
export const POST = withTeamSession("billing:write", async ({ req, actor, team, db }) => {
  const { code } = parseWith(body, await readJson(req));
  const r = await redeemCoupon({ db, teamId: team.id, actorUserId: actor.kind === "user" ? actor.userId : null, code });
  return Response.json(
    { redemption: { id: r.redemption.id, credits: r.redemption.creditsGranted.toString() }, balance: r.entry.balanceAfter.toString() },
    { status: 201, headers: { "cache-control": "no-store" } },
  );
});
