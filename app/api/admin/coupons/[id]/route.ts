import { updateCoupon } from "@/lib/billing/coupons/update-coupon";
import { route } from "@/lib/edge/route";
import { updateCouponRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const PATCH = route(updateCouponRoute, { auth: "admin" }, async ({ db, admin, params, body }) => {
  const coupon = await updateCoupon({ db, couponId: params.id, input: body, actorUserId: admin.id });
  return { id: coupon.id, code: coupon.code };
});
