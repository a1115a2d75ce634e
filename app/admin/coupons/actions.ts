"use server";

import { revalidatePath } from "next/cache";
import { toActionError, type ActionResult } from "@/lib/auth/actions";
import { findUnstorableText, idParam, UNSTORABLE_TEXT } from "@/lib/auth/input-text";
import { getCurrentUser } from "@/lib/auth/session";
import { createCoupon } from "@/lib/billing/coupons/create-coupon";
import { disableCoupon } from "@/lib/billing/coupons/disable-coupon";
import { isBillingError } from "@/lib/billing/errors";
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
  const bad = findUnstorableText(form);
  if (bad !== null) return { ok: false, error: { code: "VALIDATION_FAILED", message: `${bad}: ${UNSTORABLE_TEXT}`, field: bad } };
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
  const id = idParam.safeParse(field(form, "couponId"));
  if (!id.success) return;
  try {
    await disableCoupon({ db: db(), couponId: id.data, actorUserId: admin.userId });
  } catch (e) {
    // A coupon that is gone (or never was) has nothing to disable; the list re-renders as it is.
    if (!isBillingError(e)) throw e;
  }
  revalidatePath("/admin/coupons");
}
