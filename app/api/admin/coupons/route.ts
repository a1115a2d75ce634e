import { createCoupon } from "@/lib/billing/coupons/create-coupon";
import { reply, route } from "@/lib/edge/route";
import { createCouponRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(createCouponRoute, { auth: "admin" }, async ({ db, admin, body }) => {
  const coupon = await createCoupon({ db, actorUserId: admin.id, input: body });
  return reply({ id: coupon.id, code: coupon.code }, { status: 201 });
});
