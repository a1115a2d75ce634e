import { z } from "zod";
import type { Db } from "../../db/client";
import type { Coupon } from "../../db/generated/client";
import { BillingError, isUniqueViolation } from "../errors";
import { parseUsdToCents } from "../money";
import { assertCouponCode } from "./code";

// Empty: null (as the contracts and CouponInput allow) or blank text.
const optionalText = z.preprocess((v) => (v === null || (typeof v === "string" && v.trim() === "") ? undefined : v), z.string().trim().optional());
const wholeCredits = z.preprocess(
  (v) => (v === undefined || v === null || (typeof v === "string" && v.trim() === "") ? "0" : v),
  z
    .string()
    .trim()
    .regex(/^\d{1,15}$/, "must be a whole number of credits"),
);
const optionalCount = (label: string) =>
  z.preprocess(
    (v) => (v === undefined || v === null || (typeof v === "string" && v.trim() === "") ? undefined : typeof v === "string" ? v.trim() : v),
    z
      .union([
        z.undefined(),
        z
          .string()
          .regex(/^\d{1,9}$/, `${label} must be a whole number`)
          .transform(Number),
        z.number().int(),
      ])
      .pipe(z.number().int().min(1, `${label} must be at least 1`).optional()),
  );

export const couponInputSchema = z.object({
  code: z.string(),
  description: optionalText.pipe(z.string().max(200, "must be at most 200 characters").optional()),
  grantCredits: wholeCredits,
  bonusPercent: z.preprocess(
    (v) => (v === undefined || v === null || (typeof v === "string" && v.trim() === "") ? "0" : String(v).trim()),
    z
      .string()
      .regex(/^\d{1,3}$/, "must be a whole percentage from 0 to 100")
      .transform(Number)
      .pipe(z.number().max(100, "must be at most 100")),
  ),
  minAmount: optionalText,
  maxRedemptions: optionalCount("maxRedemptions"),
  perTeamLimit: optionalCount("perTeamLimit"),
  expiresAt: optionalText,
});

/** As typed in the admin form: every field a string (numbers are accepted too); empty means the default. */
export type CouponInput = {
  code: string;
  description?: string | null;
  grantCredits?: string | number | null;
  bonusPercent?: string | number | null;
  minAmount?: string | null;
  maxRedemptions?: string | number | null;
  perTeamLimit?: string | number | null;
  expiresAt?: string | null;
};

/** The end of a code as typed: a bare date means the end of that day, UTC; it must be in the future. Empty: never. */
export function couponExpiry(text: string | undefined, now: Date): Date | null {
  if (!text) return null;
  const t = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T23:59:59.999Z`) : Date.parse(text);
  if (Number.isNaN(t)) throw new BillingError("VALIDATION_FAILED", "expiresAt must be a date like 2026-12-31", { field: "expiresAt" });
  if (t <= now.getTime()) throw new BillingError("VALIDATION_FAILED", "expiresAt must be in the future", { field: "expiresAt" });
  return new Date(t);
}

/** The first issue of a coupon form's parse as VALIDATION_FAILED naming the field. */
export function couponInputError(issue: z.core.$ZodIssue | undefined): BillingError {
  const field = issue?.path.join(".") || undefined;
  return new BillingError("VALIDATION_FAILED", `${field ? `${field}: ` : ""}${issue?.message ?? "invalid input"}`, { field });
}

/** A platform admin creates a code that grants credits, adds a bonus percentage to a top-up, or both. */
export async function createCoupon({
  db,
  input,
  actorUserId,
  now = new Date(),
}: {
  db: Db;
  input: CouponInput;
  actorUserId: string | null;
  now?: Date;
}): Promise<Coupon> {
  const parsed = couponInputSchema.safeParse(input);
  if (!parsed.success) throw couponInputError(parsed.error.issues[0]);
  const v = parsed.data;
  const code = assertCouponCode(v.code);
  const grantCredits = BigInt(v.grantCredits);
  if (grantCredits === 0n && v.bonusPercent === 0) {
    throw new BillingError("VALIDATION_FAILED", "A code must grant credits, add a bonus percentage, or both.", { field: "grantCredits" });
  }
  const minAmountCents = v.minAmount ? parseUsdToCents(v.minAmount, "minAmount") : 0n;
  const expiresAt = couponExpiry(v.expiresAt, now);
  const perTeamLimit = v.perTeamLimit ?? 1;
  if (v.maxRedemptions !== undefined && v.maxRedemptions < perTeamLimit) {
    throw new BillingError("VALIDATION_FAILED", "maxRedemptions must not be below perTeamLimit", { field: "maxRedemptions" });
  }
  try {
    return await db.$transaction(async (tx) => {
      const coupon = await tx.coupon.create({
        data: {
          code,
          description: v.description ?? null,
          grantCredits,
          bonusPercent: v.bonusPercent,
          minAmountCents,
          maxRedemptions: v.maxRedemptions ?? null,
          perTeamLimit,
          expiresAt,
          createdByUserId: actorUserId,
        },
      });
      await tx.auditLog.create({
        data: {
          actorUserId,
          action: "coupon.created",
          targetType: "coupon",
          targetId: coupon.id,
          data: { code, grantCredits: grantCredits.toString(), bonusPercent: v.bonusPercent },
        },
      });
      return coupon;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new BillingError("CONFLICT", `The code ${code} already exists.`, { field: "code" });
    throw e;
  }
}
