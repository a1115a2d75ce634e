"use server";

import { revalidatePath } from "next/cache";
import { toActionError, type ActionResult } from "@/lib/auth/actions";
import { getCurrentUser } from "@/lib/auth/session";
import { createCoupon } from "@/lib/billing/coupons/create-coupon";
import { disableCoupon } from "@/lib/billing/coupons/disable-coupon";
import { db } from "@/lib/db/client";

const field = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : null;
};

// The admin layout guards the pages, not the actions: each action checks the platform-admin flag itself.
async function requireAdmin(): Promise<{ ok: true; userId: string } | { ok: false; error: ActionResult<never> }> {
  const user = await getCurrentUser();
  if (!user) return { ok: false, error: { ok: false, error: { code: "UNAUTHENTICATED", message: "Your session has ended. Sign in again." } } };
  if (!user.isPlatformAdmin) return { ok: false, error: { ok: false, error: { code: "FORBIDDEN", message: "Only platform admins manage coupons." } } };
  return { ok: true, userId: user.id };
}

export type CouponFormState = ActionResult<{ code: string }> | null;

export async function createCouponAction(_prev: CouponFormState, form: FormData): Promise<CouponFormState> {
  const admin = await requireAdmin();
  if (!admin.ok) return admin.error;
  try {
    const coupon = await createCoupon({
      db: db(),
      actorUserId: admin.userId,
      input: {
        code: field(form, "code") ?? "",
        description: field(form, "description"),
        grantCredits: field(form, "grantCredits"),
        bonusPercent: field(form, "bonusPercent"),
        minAmount: field(form, "minAmount"),
        maxRedemptions: field(form, "maxRedemptions"),
        perTeamLimit: field(form, "perTeamLimit"),
        expiresAt: field(form, "expiresAt"),
      },
    });
    revalidatePath("/admin/coupons");
    return { ok: true, data: { code: coupon.code } };
  } catch (e) {
    return { ok: false, error: toActionError(e) };
  }
}

export async function disableCouponAction(form: FormData): Promise<void> {
  const admin = await requireAdmin();
  if (!admin.ok) return;
  const id = field(form, "couponId");
  if (!id) return;
  await disableCoupon({ db: db(), couponId: id, actorUserId: admin.userId });
  revalidatePath("/admin/coupons");
}
