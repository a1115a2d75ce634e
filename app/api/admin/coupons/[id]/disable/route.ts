import { disableCoupon } from "@/lib/billing/coupons/disable-coupon";
import { route } from "@/lib/edge/route";
import { disableCouponRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(disableCouponRoute, { auth: "admin" }, async ({ db, admin, params }) => {
  const coupon = await disableCoupon({ db, couponId: params.id, actorUserId: admin.id });
  return { id: coupon.id, code: coupon.code };
});
