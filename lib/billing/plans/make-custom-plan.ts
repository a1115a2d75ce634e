import { randomBytes } from "node:crypto";
import { z } from "zod";
import { withoutDigitGroups } from "../amount-text";
import type { Db } from "../../db/client";
import type { BillingCycle } from "../../db/generated/enums";
import { isStorableText } from "../../auth/input-text";
import { BillingError } from "../errors";
import { parseUsdToCents } from "../money";

/** As typed in the admin form: price in dollars, credits as a whole number (empty = unlimited, metered). */
export type CustomPlanInput = {
  name: string;
  price: string | number;
  cycle: string;
  monthlyCredits?: string | number | null;
  portalDisabled?: boolean | null;
};

const MAX_PRICE_CENTS = 100_000_000n; // $1,000,000 a cycle: past it is a typo, not a contract.

const schema = z.object({
  name: z
    .string({ error: "Enter a plan name" })
    .trim()
    .min(1, "Enter a plan name")
    .max(80, "Plan name must be at most 80 characters")
    .refine((s) => isStorableText(s) && !/[\u0000-\u001f\u007f]/.test(s), "Plan name must not contain control characters"),
  price: z.union([z.string().max(32, "price is too long"), z.number()], { error: "Enter a price" }),
  cycle: z.enum(["monthly", "annual"], { error: "cycle must be monthly or annual" }),
  monthlyCredits: z
    .union([z.string().max(32, "monthlyCredits is too long"), z.number()])
    .nullish()
    .transform((v) => (v === null || v === undefined ? "" : withoutDigitGroups(String(v).trim())))
    .pipe(z.union([z.literal(""), z.string().regex(/^\d{1,16}$/, "Monthly credits must be a whole number (empty for unlimited)")]))
    .transform((v) => (v === "" ? null : BigInt(v))),
  portalDisabled: z.boolean().nullish(),
});

/**
 * A platform admin answers an open Enterprise request with a plan of the team's own: `custom-<id>`, team_id set (so
 * no other team can list or choose it), its own Stripe lookup key for the chosen cycle, the billing portal off unless
 * asked. Marks the request done and records who did it (audit log). Subscribing the team to the plan is the normal
 * subscribe flow. CONFLICT when the request was already answered (two admins at once: one wins).
 */
export async function makeCustomPlan({
  db,
  requestId,
  actorUserId,
  input,
  now = new Date(),
}: {
  db: Db;
  requestId: string;
  actorUserId: string;
  input: CustomPlanInput;
  now?: Date;
}): Promise<{ planId: string; lookupKey: string; billingCycle: BillingCycle }> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? "body");
    throw new BillingError("VALIDATION_FAILED", issue?.message ?? "The plan is not valid.", { field });
  }
  const v = parsed.data;
  const priceCents = parseUsdToCents(v.price, "price");
  if (priceCents > MAX_PRICE_CENTS) throw new BillingError("VALIDATION_FAILED", "price must be at most $1,000,000.00", { field: "price" });
  const annual = v.cycle === "annual";
  const short = randomBytes(6).toString("hex");
  const planId = `custom-${short}`;
  const lookupKey = `custom_${short}_${v.cycle}`;

  return db.$transaction(async (tx) => {
    const request = await tx.planRequest.findUnique({ where: { id: requestId }, select: { id: true, teamId: true } });
    if (!request) throw new BillingError("NOT_FOUND", "That Enterprise request does not exist.");
    await tx.plan.create({
      data: {
        id: planId,
        name: v.name,
        teamId: request.teamId,
        // monthly_price_cents is what the plan costs a month (an annual price's twelfth, for display).
        monthlyPriceCents: annual ? priceCents / 12n : priceCents,
        annualPriceCents: annual ? priceCents : 0n,
        monthlyCredits: v.monthlyCredits,
        stripeMonthlyLookup: annual ? null : lookupKey,
        stripeAnnualLookup: annual ? lookupKey : null,
        features: ["Custom plan"],
        canBuyCredits: true,
        active: true,
        sortOrder: 60,
        portalEnabled: !(v.portalDisabled ?? true),
      },
    });
    // Only an open request is answered; the loser of two concurrent answers rolls its plan back with this refusal.
    const done = await tx.planRequest.updateMany({
      where: { id: requestId, status: "OPEN" },
      data: { status: "DONE", planId, handledByUserId: actorUserId, handledAt: now, updatedAt: now },
    });
    if (done.count !== 1) throw new BillingError("CONFLICT", "That Enterprise request was already answered.");
    await tx.auditLog.create({
      data: {
        teamId: request.teamId,
        actorUserId,
        action: "plan_request.custom_plan",
        targetType: "plan",
        targetId: planId,
        data: {
          requestId,
          name: v.name,
          priceCents: priceCents.toString(),
          cycle: v.cycle,
          monthlyCredits: v.monthlyCredits?.toString() ?? null,
          portalEnabled: !(v.portalDisabled ?? true),
        },
      },
    });
    return { planId, lookupKey, billingCycle: annual ? "ANNUAL" : "MONTHLY" };
  });
}
