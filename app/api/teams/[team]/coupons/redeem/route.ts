import { redeemCoupon } from "@/lib/billing/coupons/redeem-coupon";
import { reply, route } from "@/lib/edge/route";
import { redeemCouponRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(redeemCouponRoute, { auth: "team", permission: "billing:write" }, async ({ db, actor, team, body }) => {
  const r = await redeemCoupon({ db, teamId: team.id, actorUserId: actor.userId, code: body.code });
  return reply({ redemption: { id: r.redemption.id, credits: r.redemption.creditsGranted }, balance: r.entry.balanceAfter }, { status: 201 });
});
