import { enableCoupon } from "@/lib/billing/coupons/update-coupon";
import { route } from "@/lib/edge/route";
import { enableCouponRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(enableCouponRoute, { auth: "admin" }, async ({ db, admin, params }) => {
  const coupon = await enableCoupon({ db, couponId: params.id, actorUserId: admin.id });
  return { id: coupon.id, code: coupon.code };
});
