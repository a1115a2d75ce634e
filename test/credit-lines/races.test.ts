import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approveApplication } from "../../lib/billing/credit-lines/approve-application";
import { confirmApproval } from "../../lib/billing/credit-lines/confirm-approval";
import { guaranteeKeyPrefix } from "../../lib/billing/credit-lines/guarantee-deposits";
import { getReviewFacts } from "../../lib/billing/credit-lines/review-facts";
import { saveDraft } from "../../lib/billing/credit-lines/save-draft";
import { CONFIRMATION_EMAIL_LIMIT } from "../../lib/billing/credit-lines/send-confirmation-email";
import { startGuaranteeDeposit } from "../../lib/billing/credit-lines/start-guarantee-deposit";
import { submitApplication } from "../../lib/billing/credit-lines/submit-application";
import type { Db } from "../../lib/db/client";
import { makeLineStatement, makePlatformAdmin, makeTeam } from "../billing/factories";
import { startStripeTestEnv, type StripeTestEnv } from "../stripe/helpers";

// Two things at once against the real database (and the Stripe emulator): each must end as if they had run one
// after the other.

let env: StripeTestEnv;
let db: Db;
let adminA: string;
let adminB: string;
beforeAll(async () => {
  process.env.AUTH_SECRET ??= "test-secret-for-credit-line-links-0123456789";
  env = await startStripeTestEnv();
  db = env.t.db;
  [adminA, adminB] = [await makePlatformAdmin(db, "race-a"), await makePlatformAdmin(db, "race-b")];
});
afterAll(() => env?.close());

const appUrl = "http://app.test";
const individual = (requestedLimit: number) => ({
  applicantType: "INDIVIDUAL_WITH_PRODUCT",
  productInfo: "A render farm",
  website: "https://render.example.test",
  expectedUsage: requestedLimit,
  requestedLimit,
});
const enterprise = (email: string) => ({
  applicantType: "ENTERPRISE",
  companyName: "Busy Corp",
  website: `https://${email.split("@")[1]!}`,
  productInfo: "Video",
  businessUseCase: "Video at scale",
  contactEmail: email,
  expectedUsage: 100,
  requestedLimit: 200,
});
const settle = async <T>(ps: Promise<T>[]) => {
  const r = await Promise.allSettled(ps);
  return {
    ok: r.flatMap((x) => (x.status === "fulfilled" ? [x.value] : [])),
    codes: r.flatMap((x) => (x.status === "rejected" ? [(x.reason as { code?: string }).code ?? String(x.reason)] : [])),
  };
};

describe("credit lines under concurrency", () => {
  it("guarantee checkouts started at once: one deposit checkout is open, and both answers lead to it", async () => {
    const { teamId, slug, userId } = await makeTeam(db);
    const app = await submitApplication({ db, teamId, actorUserId: userId, input: individual(5000), appUrl });
    expect(app.guaranteeCents).toBe(500_000n);
    const actor = { kind: "user" as const, userId, teamId, role: "OWNER" as const, isPlatformAdmin: false };
    const args = { db, gateway: env.gateway, team: { id: teamId, slug, stripeCustomerId: null }, actor, applicationId: app.id, ui: "hosted" as const, appUrl };
    const deposits = () => db.payment.findMany({ where: { teamId, idempotencyKey: { startsWith: guaranteeKeyPrefix(app.id) } } });

    const { ok, codes } = await settle([startGuaranteeDeposit(args), startGuaranteeDeposit(args), startGuaranteeDeposit(args)]);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(codes.every((c) => c === "CONFLICT")).toBe(true);
    expect(new Set(ok.map((c) => c.sessionId)).size).toBe(1);
    expect(await deposits()).toHaveLength(1);
    const first = ok[0]!;

    // Started again later: the open checkout's page is handed back, not a second one for the same deposit.
    const again = await startGuaranteeDeposit(args);
    expect(again.sessionId).toBe(first.sessionId);
    expect(again.url).toBe(first.url);
    expect(await deposits()).toHaveLength(1);

    // Once that checkout expired unpaid, a new one can be started, even before the webhook said so (it is settled first).
    await env.control(`checkout_sessions/${first.sessionId}/expire`, {});
    const next = await startGuaranteeDeposit(args);
    await env.delivered();
    expect(next.sessionId).not.toBe(first.sessionId);
    expect((await deposits()).map((p) => p.status).sort()).toEqual(["EXPIRED", "PENDING"]);

    await env.control(`checkout_sessions/${next.sessionId}/complete`, { outcome: "paid" });
    await env.delivered();
    await expect(startGuaranteeDeposit(args)).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await db.payment.count({ where: { teamId, status: "SUCCEEDED" } })).toBe(1);
  });

  it("the confirmation-email limit holds exactly when several teams name one address at once", async () => {
    const email = "cfo@race-victim.test";
    const mails = () => db.notification.count({ where: { kind: "credit_line_email_confirmation", email } });
    for (let i = 0; i < CONFIRMATION_EMAIL_LIMIT - 1; i++) {
      const team = await makeTeam(db);
      await submitApplication({ db, teamId: team.teamId, actorUserId: team.userId, input: enterprise(email), appUrl });
    }
    expect(await mails()).toBe(CONFIRMATION_EMAIL_LIMIT - 1);
    const teams = await Promise.all([1, 2, 3, 4].map(() => makeTeam(db)));
    const { ok, codes } = await settle(
      teams.map((team) => submitApplication({ db, teamId: team.teamId, actorUserId: team.userId, input: enterprise(email), appUrl })),
    );
    expect(await mails()).toBe(CONFIRMATION_EMAIL_LIMIT);
    expect(ok).toHaveLength(1);
    expect(codes).toEqual(["RATE_LIMITED", "RATE_LIMITED", "RATE_LIMITED"]);
  });

  it("drafts and applications made at once for one team end as one draft, or one application under way", async () => {
    const { teamId, userId } = await makeTeam(db);
    const count = (status: "DRAFT" | "SUBMITTED") => db.creditLineApplication.count({ where: { teamId, status } });
    const draft = (productInfo: string) => saveDraft({ db, teamId, actorUserId: userId, input: { applicantType: "INDIVIDUAL_WITH_PRODUCT", productInfo } });
    const drafts = await settle([draft("first"), draft("second"), draft("third")]);
    expect(drafts.codes).toEqual([]);
    expect(await count("DRAFT")).toBe(1);
    expect(new Set(drafts.ok.map((d) => d.id)).size).toBe(1);

    const submit = () => submitApplication({ db, teamId, actorUserId: userId, input: individual(300), appUrl });
    const sent = await settle([submit(), submit(), draft("late")]);
    expect(sent.ok.filter((a) => a.status === "SUBMITTED")).toHaveLength(1);
    expect(await count("SUBMITTED")).toBe(1);
    expect(await count("DRAFT")).toBe(0);
    expect(sent.codes.every((c) => c === "CONFLICT")).toBe(true);
    expect(await db.creditLineApplication.count({ where: { teamId } })).toBe(1); // the draft became the application
  });

  it("an increase whose line has since had a late or unpaid statement is not approved or confirmed: CONFLICT, and the reviewer sees it", async () => {
    for (const [requested, standing] of [
      [500, "unpaid"],
      [1500, "late"],
    ] as const) {
      const team = await makeTeam(db, { creditLimitCents: 20_000n });
      for (const daysAgo of [90, 60]) await makeLineStatement(db, team.teamId, daysAgo, "on_time");
      const inc = await submitApplication({ db, teamId: team.teamId, actorUserId: team.userId, input: individual(requested), appUrl });
      expect(inc.kind).toBe("INCREASE");
      const approve = (admin: string) =>
        approveApplication({ db, applicationId: inc.id, adminUserId: admin, limit: String(requested), reason: "history is fine" });
      if (requested >= 1000) expect((await approve(adminA)).status).toBe("AWAITING_SECOND_APPROVAL");

      // Since then: the latest statement went unpaid past its due date, or was paid after it.
      await makeLineStatement(db, team.teamId, 20, standing);
      const decide = requested >= 1000 ? confirmApproval({ db, applicationId: inc.id, adminUserId: adminB, reason: "agreed" }) : approve(adminB);
      await expect(decide, standing).rejects.toMatchObject({ code: "CONFLICT", details: { rule: "HEALTHY_CYCLES", healthyCycles: 0, needed: 2 } });
      expect((await db.team.findUniqueOrThrow({ where: { id: team.teamId } })).creditLimitCents).toBe(20_000n);
      expect((await db.creditLineApplication.findUniqueOrThrow({ where: { id: inc.id } })).status).toBe(
        requested >= 1000 ? "AWAITING_SECOND_APPROVAL" : "SUBMITTED",
      );
      expect((await getReviewFacts({ db, teamId: team.teamId })).statements.onTimeInARow).toBe(0);
    }
  });
});
