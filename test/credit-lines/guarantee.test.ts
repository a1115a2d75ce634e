import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approveApplication } from "../../lib/billing/credit-lines/approve-application";
import { closeCreditLine } from "../../lib/billing/credit-lines/close-credit-line";
import { confirmApproval } from "../../lib/billing/credit-lines/confirm-approval";
import { startGuaranteeDeposit } from "../../lib/billing/credit-lines/start-guarantee-deposit";
import { submitApplication } from "../../lib/billing/credit-lines/submit-application";
import { setLineSuspended } from "../../lib/billing/credit-lines/suspend-credit-line";
import { debitCredits } from "../../lib/billing/ledger/debit-credits";
import { makeTeam, teamBalance } from "../billing/factories";
import { startStripeTestEnv, type StripeTestEnv } from "../stripe/helpers";

// The guarantee deposit through the real Checkout machinery (the Stripe emulator and its webhooks): a $5,000 request
// cannot be approved until it is paid; once paid its credits are spendable; suspending moves the floor at once;
// closing the line leaves the deposit's unspent credits on the balance.

let env: StripeTestEnv;
let adminA: string;
let adminB: string;
beforeAll(async () => {
  process.env.AUTH_SECRET ??= "test-secret-for-credit-line-links-0123456789";
  env = await startStripeTestEnv();
  adminA = (await env.t.db.user.create({ data: { email: "ga@platform.test", isPlatformAdmin: true } })).id;
  adminB = (await env.t.db.user.create({ data: { email: "gb@platform.test", isPlatformAdmin: true } })).id;
});
afterAll(() => env?.close());

const request = {
  applicantType: "INDIVIDUAL_WITH_PRODUCT",
  productInfo: "A render farm",
  website: "https://render.example.test",
  expectedUsage: 4000,
  requestedLimit: 5000,
};

describe("guarantee deposits", () => {
  it("a $5,000 line waits for its deposit, paid through Checkout; the deposit is spendable and stays on close", async () => {
    const { teamId, slug, userId } = await makeTeam(env.t.db);
    const app = await submitApplication({ db: env.t.db, teamId, actorUserId: userId, input: request, appUrl: "http://app.test" });
    expect(app).toMatchObject({ status: "SUBMITTED", guaranteeCents: 500_000n });
    const approve = () => approveApplication({ db: env.t.db, applicationId: app.id, adminUserId: adminA, limit: "5000", reason: "Guarantee paid" });
    await expect(approve()).rejects.toMatchObject({ code: "CONFLICT" });

    const actor = { kind: "user" as const, userId, teamId, role: "OWNER" as const, isPlatformAdmin: false };
    const team = { id: teamId, slug, stripeCustomerId: null };
    const args = { db: env.t.db, gateway: env.gateway, team, actor, applicationId: app.id, ui: "hosted" as const, appUrl: "http://app.test" };
    const started = await startGuaranteeDeposit(args);
    expect(started.payment.amountCents).toBe(500_000n);
    expect(started.url).toBeTruthy();
    // An unpaid Checkout is not a guarantee.
    await expect(approve()).rejects.toMatchObject({ code: "CONFLICT" });

    await env.control(`checkout_sessions/${started.sessionId}/complete`, { outcome: "paid" });
    await env.delivered();
    const credited = await teamBalance(env.t.db, teamId);
    expect(credited).toBe(400_000_000n); // $5,000 at 80,000 credits a dollar, on the balance at once
    await expect(startGuaranteeDeposit(args)).rejects.toMatchObject({ code: "CONFLICT" }); // paid in full

    expect((await approve()).status).toBe("AWAITING_SECOND_APPROVAL");
    expect((await confirmApproval({ db: env.t.db, applicationId: app.id, adminUserId: adminB, reason: "Agreed" })).status).toBe("APPROVED");
    expect(await env.t.db.creditLineApplication.findUniqueOrThrow({ where: { id: app.id } })).toMatchObject({
      guaranteePaymentId: started.payment.id,
      guaranteePaidAt: expect.any(Date),
    });

    // Suspended, only the prepaid deposit can be spent; resumed, the line can be drawn too.
    await setLineSuspended({ db: env.t.db, teamId, adminUserId: adminA, suspended: true, reason: "Review" });
    await expect(debitCredits({ db: env.t.db, teamId, idempotencyKey: "use-1", amount: credited + 1n })).rejects.toMatchObject({ code: "DRAW_SUSPENDED" });
    await debitCredits({ db: env.t.db, teamId, idempotencyKey: "use-2", amount: 1_000n });
    await setLineSuspended({ db: env.t.db, teamId, adminUserId: adminA, suspended: false, reason: "Cleared" });
    const left = credited - 1_000n;

    // Closing takes nothing back: the deposit's unspent credits stay on the balance, spendable; the floor is zero again.
    await closeCreditLine({ db: env.t.db, teamId, adminUserId: adminB, reason: "Closed on request" });
    expect(await teamBalance(env.t.db, teamId)).toBe(left);
    expect((await env.t.db.team.findUniqueOrThrow({ where: { id: teamId } })).creditLimitCents).toBe(0n);
    await expect(debitCredits({ db: env.t.db, teamId, idempotencyKey: "use-3", amount: left + 1n })).rejects.toMatchObject({ code: "INSUFFICIENT_CREDITS" });
    await debitCredits({ db: env.t.db, teamId, idempotencyKey: "use-4", amount: left });
    expect(await env.t.db.payment.count({ where: { teamId, status: "REFUNDED" } })).toBe(0);
  });
});
