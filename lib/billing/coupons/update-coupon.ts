import type { Db, Tx } from "../../db/client";
import type { Coupon } from "../../db/generated/client";
import { BillingError } from "../errors";
import { couponExpiry, couponInputError, couponInputSchema } from "./create-coupon";

// What a code's admin may change after teams have seen it. Its effect (credits, bonus, minimum) and the code itself
// stay as they are: teams redeemed it on those terms, and a top-up in checkout was shown them. To offer other terms,
// end it and create another code.

const editSchema = couponInputSchema.pick({ description: true, maxRedemptions: true, perTeamLimit: true, expiresAt: true });

export type CouponEdit = {
  description?: string | null;
  maxRedemptions?: string | number | null;
  perTeamLimit?: string | number | null;
  expiresAt?: string | null;
};

/** Locks the code's row for the rest of the transaction (redemptions count against it); NOT_FOUND when absent. */
export async function lockCoupon(tx: Tx, couponId: string): Promise<Coupon> {
  await tx.$queryRaw`SELECT id FROM coupons WHERE id = ${couponId} FOR UPDATE`;
  const coupon = await tx.coupon.findUnique({ where: { id: couponId } });
  if (!coupon) throw new BillingError("NOT_FOUND", "That coupon does not exist.");
  return coupon;
}

/**
 * Changes a code's description, its limits (never below what was already redeemed) and its end date (empty: never;
 * else in the future; to end it now, endCoupon). A field left out stays as it is (a PATCH naming only the description
 * must not lift the limits); a field named but empty takes the default. Audit-logged with before and after.
 */
export async function updateCoupon({
  db,
  couponId,
  input,
  actorUserId,
  now = new Date(),
}: {
  db: Db;
  couponId: string;
  input: CouponEdit;
  actorUserId: string;
  now?: Date;
}): Promise<Coupon> {
  const parsed = editSchema.safeParse(input);
  if (!parsed.success) throw couponInputError(parsed.error.issues[0]);
  const v = parsed.data;
  const named = (field: keyof CouponEdit) => input[field] !== undefined;
  const newExpiry = named("expiresAt") ? couponExpiry(v.expiresAt, now) : undefined;
  return db.$transaction(async (tx) => {
    const before = await lockCoupon(tx, couponId);
    const description = named("description") ? (v.description ?? null) : before.description;
    const perTeamLimit = named("perTeamLimit") ? (v.perTeamLimit ?? 1) : before.perTeamLimit;
    const maxRedemptions = named("maxRedemptions") ? (v.maxRedemptions ?? null) : before.maxRedemptions;
    const expiresAt = newExpiry === undefined ? before.expiresAt : newExpiry;
    if (maxRedemptions !== null && maxRedemptions < perTeamLimit) {
      throw new BillingError("VALIDATION_FAILED", "maxRedemptions must not be below perTeamLimit", { field: "maxRedemptions" });
    }
    if (maxRedemptions !== null && maxRedemptions < before.redemptionCount) {
      throw new BillingError("VALIDATION_FAILED", `maxRedemptions must be at least ${before.redemptionCount}: the code was already used that often.`, {
        field: "maxRedemptions",
      });
    }
    const coupon = await tx.coupon.update({ where: { id: couponId }, data: { description, maxRedemptions, perTeamLimit, expiresAt } });
    const shown = (c: Coupon) => ({
      description: c.description,
      maxRedemptions: c.maxRedemptions,
      perTeamLimit: c.perTeamLimit,
      expiresAt: c.expiresAt?.toISOString() ?? null,
    });
    await tx.auditLog.create({
      data: {
        actorUserId,
        action: "coupon.updated",
        targetType: "coupon",
        targetId: coupon.id,
        data: { code: coupon.code, before: shown(before), after: shown(coupon) },
      },
    });
    return coupon;
  });
}

/** Ends a code now: it expires this moment (a checkout that already reserved it keeps what it was shown). */
export async function endCoupon({
  db,
  couponId,
  actorUserId,
  now = new Date(),
}: {
  db: Db;
  couponId: string;
  actorUserId: string;
  now?: Date;
}): Promise<Coupon> {
  return db.$transaction(async (tx) => {
    const before = await lockCoupon(tx, couponId);
    if (before.expiresAt && before.expiresAt <= now) return before;
    const coupon = await tx.coupon.update({ where: { id: couponId }, data: { expiresAt: now } });
    await tx.auditLog.create({
      data: {
        actorUserId,
        action: "coupon.ended",
        targetType: "coupon",
        targetId: coupon.id,
        data: { code: coupon.code, before: { expiresAt: before.expiresAt?.toISOString() ?? null }, after: { expiresAt: now.toISOString() } },
      },
    });
    return coupon;
  });
}

/** Lets a disabled code apply again (an expired one stays expired until its end date is moved). Audit-logged. */
export async function enableCoupon({ db, couponId, actorUserId }: { db: Db; couponId: string; actorUserId: string }): Promise<Coupon> {
  return db.$transaction(async (tx) => {
    const before = await lockCoupon(tx, couponId);
    if (!before.disabledAt) return before;
    const coupon = await tx.coupon.update({ where: { id: couponId }, data: { disabledAt: null } });
    await tx.auditLog.create({
      data: {
        actorUserId,
        action: "coupon.enabled",
        targetType: "coupon",
        targetId: coupon.id,
        data: { code: coupon.code, disabledAt: before.disabledAt.toISOString() },
      },
    });
    return coupon;
  });
}
