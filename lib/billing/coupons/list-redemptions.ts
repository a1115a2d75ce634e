import type { Tx } from "../../db/client";
import type { RedemptionStatus } from "../../db/generated/enums";
import { BillingError } from "../errors";
import { type CouponRow, couponStatus } from "./list-coupons";

export type RedemptionRow = {
  id: string;
  createdAt: Date;
  status: RedemptionStatus;
  creditsGranted: bigint;
  team: { id: string; name: string; slug: string };
  /** The top-up the code came with, or null for a code redeemed on its own. */
  payment: { id: string; amountCents: bigint; currency: string; status: string } | null;
};

/** One code and who redeemed it (newest first, at most `take`), for the admin's coupon page. */
export async function getCouponRedemptions({
  db,
  couponId,
  take = 100,
  now = new Date(),
}: {
  db: Tx;
  couponId: string;
  take?: number;
  now?: Date;
}): Promise<{ coupon: CouponRow; redemptions: RedemptionRow[] }> {
  const coupon = await db.coupon.findUnique({ where: { id: couponId } });
  if (!coupon) throw new BillingError("NOT_FOUND", "That coupon does not exist.");
  const rows = await db.couponRedemption.findMany({
    where: { couponId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    include: { team: { select: { id: true, name: true, slug: true } } },
  });
  const paymentIds = rows.map((r) => r.paymentId).filter((id): id is string => id !== null);
  const payments = new Map(
    (await db.payment.findMany({ where: { id: { in: paymentIds } }, select: { id: true, amountCents: true, currency: true, status: true } })).map((p) => [
      p.id,
      p,
    ]),
  );
  return {
    coupon: { ...coupon, status: couponStatus(coupon, now) },
    redemptions: rows.map((r) => {
      const p = r.paymentId ? payments.get(r.paymentId) : undefined;
      return {
        id: r.id,
        createdAt: r.createdAt,
        status: r.status,
        creditsGranted: r.creditsGranted,
        team: r.team,
        payment: p ? { id: p.id, amountCents: p.amountCents, currency: p.currency, status: p.status.toLowerCase() } : null,
      };
    }),
  };
}
