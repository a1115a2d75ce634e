import { endCoupon } from "@/lib/billing/coupons/update-coupon";
import { route } from "@/lib/edge/route";
import { endCouponRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(endCouponRoute, { auth: "admin" }, async ({ db, admin, params }) => {
  const coupon = await endCoupon({ db, couponId: params.id, actorUserId: admin.id });
  return { id: coupon.id, code: coupon.code };
});
