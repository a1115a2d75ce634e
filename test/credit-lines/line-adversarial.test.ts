import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomBytes } from "node:crypto";

const session = vi.hoisted(() => ({ userId: null as string | null }));
const shown = vi.hoisted(() => ({ views: [] as unknown[] }));
vi.mock("server-only", () => ({}));
vi.mock("../../lib/auth/config", () => ({ auth: async () => (session.userId ? { user: { id: session.userId } } : null) }));
// The page's interactive part is left out of the markup; what the page hands it is what a role gets to see.
vi.mock("../../app/t/[team]/credit-line/credit-line-client", () => ({
  CreditLineClient: (props: { view: unknown }) => {
    shown.views.push(props.view);
    return null;
  },
}));

import CreditLinePage from "../../app/t/[team]/credit-line/page";
import { submitApplication } from "../../lib/billing/credit-lines/submit-application";
import { approveApplication } from "../../lib/billing/credit-lines/approve-application";
import { rejectApplication } from "../../lib/billing/credit-lines/reject-application";
import { withdrawApplication } from "../../lib/billing/credit-lines/withdraw-application";
import { confirmAdjustment } from "../../lib/billing/adjustments/confirm-adjustment";
import { declineAdjustment } from "../../lib/billing/adjustments/decline-adjustment";
import { requestAdjustment } from "../../lib/billing/adjustments/request-adjustment";
import { resetBillingConfig } from "../../lib/billing/config";
import { applicationFieldErrors } from "../../lib/billing/credit-lines/application-input";
import { setLineSuspended } from "../../lib/billing/credit-lines/suspend-credit-line";
import { applyDebits } from "../../lib/billing/ledger/apply-debits";
import { repayStatement } from "../../lib/billing/statements/repay-statement";
import { sweepStatements } from "../../lib/billing/statements/sweep-statements";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makePlatformAdmin, makeTeam } from "../billing/factories";

// An adversarial read of credit lines and the admin console: each case here was a hole (it failed before its fix).
// Real PostgreSQL, no mocks.
let t: TestDatabase;
let adminA: string;
let adminB: string;
beforeAll(async () => {
  process.env.AUTH_SECRET ??= "test-secret-for-credit-line-links-0123456789";
  t = await createTestDatabase();
  (globalThis as { creditdeskDb?: unknown }).creditdeskDb = t.db;
  resetBillingConfig();
  [adminA, adminB] = [await makePlatformAdmin(t.db, "adv-a"), await makePlatformAdmin(t.db, "adv-b")];
});
afterAll(async () => {
  (globalThis as { creditdeskDb?: unknown }).creditdeskDb = undefined;
  await t?.close();
});

const DAY = 86_400_000;
const key = () => `k-${randomBytes(6).toString("hex")}`;

const enterprise = (website: string, contactEmail: string, more: Record<string, unknown> = {}) => ({
  applicantType: "ENTERPRISE",
  companyName: "Vinamilk",
  website,
  productInfo: "Dairy analytics",
  businessUseCase: "Forecasts",
  contactEmail,
  expectedUsage: 900,
  requestedLimit: 900,
  ...more,
});
const apply = (team: { teamId: string; userId: string }, input: unknown) =>
  submitApplication({ db: t.db, teamId: team.teamId, actorUserId: team.userId, appUrl: "http://app.test", input });

describe("the company email on a country's generic second-level domain", () => {
  it("an address on someone else's name under com.vn, co.id, org.pl or uk.com does not confirm the company", () => {
    // Compared by their last two labels, both were "com.vn": anyone who registers evil.com.vn passed as Vinamilk.
    for (const [website, email] of [
      ["https://www.vinamilk.com.vn", "cfo@evil.com.vn"],
      ["https://tokopedia.co.id", "cfo@attacker.co.id"],
      ["https://allegro.org.pl", "boss@other.org.pl"],
      ["https://acme.uk.com", "cfo@evil.uk.com"],
    ]) {
      expect(applicationFieldErrors(enterprise(website!, email!)), `${website} ${email}`).toHaveProperty("contactEmail");
    }
    // The company's own addresses still confirm it.
    for (const [website, email] of [
      ["https://www.vinamilk.com.vn", "cfo@mail.vinamilk.com.vn"],
      ["https://tokopedia.co.id", "finance@tokopedia.co.id"],
      ["https://acme.co.uk", "cfo@acme.co.uk"],
      ["https://acme.io", "cfo@acme.io"],
    ]) {
      expect(applicationFieldErrors(enterprise(website!, email!)), `${website} ${email}`).toEqual({});
    }
  });
});

describe("a homoglyph website", () => {
  it("is kept in the ASCII form that was checked, so the reviewer does not read another company's name", async () => {
    const team = await makeTeam(t.db);
    // Cyrillic "а" in "аcme.com": the applicant owns xn--cme-5cd.com and confirms an address there.
    const app = await apply(team, enterprise("https://\u0430cme.com", "cfo@xn--cme-5cd.com", { appLink: "https://apps.example.test/\u0430cme" }));
    // Before: stored (and shown in the review queue) as "https://аcme.com", which reads as acme.com.
    expect(app.website).toBe("https://xn--cme-5cd.com/");
    expect(app.appLink).toBe("https://apps.example.test/%D0%B0cme");
  });
});

describe("an admin's suspension while a statement is overdue", () => {
  it("is kept when the statement is paid: paying lifts only the overdue suspension", async () => {
    const team = await makeTeam(t.db, { creditLimitCents: 100_000n });
    const customerId = `cus_${key()}`;
    await t.db.team.update({ where: { id: team.teamId }, data: { stripeCustomerId: customerId } });
    expect((await applyDebits({ db: t.db, teamId: team.teamId, debits: [{ idempotencyKey: key(), amount: 800_000n, operation: "m" }] }))[0]).toMatchObject({
      status: "debited",
    });
    const st = await t.db.statement.create({
      data: {
        teamId: team.teamId,
        kind: "CREDIT_LINE",
        closesAt: new Date(Date.now() - 20 * DAY),
        drawnCredits: 800_000n,
        amountCents: 1000n,
        status: "OPEN",
        dueAt: new Date(Date.now() - DAY),
        stripeInvoiceId: `in_${key()}`,
      },
    });
    const gateway = {
      issueStatementInvoice: () => Promise.reject(new Error("no statement is billed here")),
      createCustomer: () => Promise.reject(new Error("no customer is made here")),
    };
    await sweepStatements({ db: t.db, gateway, onError: () => {} });
    const team0 = await t.db.team.findUniqueOrThrow({ where: { id: team.teamId } });
    expect(team0.drawSuspendedReason).toBe("STATEMENT_OVERDUE");

    // Admin A suspends the line (say, for fraud). Before: CONFLICT "already suspended", and nothing recorded.
    const line = await setLineSuspended({ db: t.db, teamId: team.teamId, adminUserId: adminA, suspended: true, reason: "Card testing seen on this team" });
    expect(line.suspended).toBe(true);
    const team1 = await t.db.team.findUniqueOrThrow({ where: { id: team.teamId } });
    expect(team1).toMatchObject({ drawSuspendedReason: "ADMIN", drawSuspendedAt: team0.drawSuspendedAt });
    expect(await t.db.auditLog.count({ where: { teamId: team.teamId, action: "credit_line.suspended" } })).toBe(1);
    // A second suspension is refused as before.
    await expect(setLineSuspended({ db: t.db, teamId: team.teamId, adminUserId: adminB, suspended: true, reason: "again" })).rejects.toMatchObject({
      code: "CONFLICT",
    });

    // The team pays the statement: the balance comes back, but the admin's suspension stays (before: lifted).
    const invoice = { id: st.stripeInvoiceId!, customerId, status: "paid", amountPaidCents: 1000 };
    expect(await repayStatement({ db: t.db, statementId: st.id, invoice })).toMatch(/repaid/);
    expect(await t.db.team.findUniqueOrThrow({ where: { id: team.teamId } })).toMatchObject({ balance: 0n, drawSuspendedReason: "ADMIN" });
    const refused = await applyDebits({ db: t.db, teamId: team.teamId, debits: [{ idempotencyKey: key(), amount: 1n, operation: "m" }] });
    expect(refused[0]).toMatchObject({ status: "rejected", code: "DRAW_SUSPENDED" });

    // Only an admin resumes it.
    expect((await setLineSuspended({ db: t.db, teamId: team.teamId, adminUserId: adminB, suspended: false, reason: "Cleared" })).suspended).toBe(false);
    const ok = await applyDebits({ db: t.db, teamId: team.teamId, debits: [{ idempotencyKey: key(), amount: 1n, operation: "m" }] });
    expect(ok[0]).toMatchObject({ status: "debited" });
  });
});

describe("the team's Credit line page", () => {
  it("shows a plain member nothing the credit-line API refuses them: not the draw, the statements or the application", async () => {
    const team = await makeTeam(t.db);
    const member = (await t.db.user.create({ data: { email: `member-${key()}@example.test` } })).id;
    await t.db.membership.create({ data: { teamId: team.teamId, userId: member, role: "MEMBER" } });
    const website = "https://www.secret-deal.test";
    await apply(team, enterprise(website, "cfo@secret-deal.test"));
    const visit = async (userId: string) => {
      session.userId = userId;
      shown.views = [];
      const html = renderToStaticMarkup(await CreditLinePage({ params: Promise.resolve({ team: team.slug }) })).replace(/<!-- -->/g, "");
      return { html, views: shown.views };
    };

    // Before: the member's page was handed the whole view (limit, draw, statements, the application with its email).
    const asMember = await visit(member);
    expect(asMember.views).toEqual([]);
    expect(asMember.html).toContain("Your role in this team (member) cannot see the credit line");
    expect(asMember.html).not.toContain("secret-deal");

    // The owner still sees it all.
    const asOwner = await visit(team.userId);
    expect(asOwner.views).toHaveLength(1);
    expect(asOwner.views[0]).toMatchObject({ line: { limitCents: 0n }, application: { website, contactEmail: "cfo@secret-deal.test" } });
  });
});

describe("decisions at once (checked clean: the row lock orders them)", () => {
  const settle = async (ps: Promise<unknown>[]) => {
    const r = await Promise.allSettled(ps);
    return {
      ok: r.filter((x) => x.status === "fulfilled").length,
      codes: r.flatMap((x) => (x.status === "rejected" ? [(x.reason as { code?: string }).code] : [])),
    };
  };

  it("an approval, a rejection and a withdrawal of one application at once: one wins, the others are CONFLICT", async () => {
    for (let round = 0; round < 3; round++) {
      const team = await makeTeam(t.db);
      const input = {
        applicantType: "INDIVIDUAL_WITH_PRODUCT",
        productInfo: "p",
        website: "https://race.example.test",
        expectedUsage: 500,
        requestedLimit: 500,
      };
      const app = await apply(team, input);
      const r = await settle([
        approveApplication({ db: t.db, applicationId: app.id, adminUserId: adminA, limit: "500", reason: "fine" }),
        rejectApplication({ db: t.db, applicationId: app.id, adminUserId: adminB, reason: "no" }),
        withdrawApplication({ db: t.db, teamId: team.teamId, applicationId: app.id, actorUserId: team.userId }),
      ]);
      expect(r.ok).toBe(1);
      expect(r.codes).toEqual(["CONFLICT", "CONFLICT"]);
      const after = await t.db.creditLineApplication.findUniqueOrThrow({ where: { id: app.id } });
      const limit = (await t.db.team.findUniqueOrThrow({ where: { id: team.teamId } })).creditLimitCents;
      expect(limit).toBe(after.status === "APPROVED" ? 50_000n : 0n);
    }
  });

  it("a confirmation and a decline of one adjustment at once: credits move only if it ends CONFIRMED", async () => {
    const team = await makeTeam(t.db);
    const asked = await requestAdjustment({
      db: t.db,
      teamId: team.teamId,
      adminUserId: adminA,
      input: { amount: "90000000", reason: "Goodwill", idempotencyKey: key() },
    });
    expect(asked.outcome).toBe("pending");
    const id = asked.outcome === "pending" ? asked.request.id : "";
    const r = await settle([
      confirmAdjustment({ db: t.db, requestId: id, adminUserId: adminB }),
      declineAdjustment({ db: t.db, requestId: id, adminUserId: adminB, reason: "Changed my mind" }),
    ]);
    expect(r.ok).toBe(1);
    expect(r.codes).toEqual(["CONFLICT"]);
    const request = await t.db.creditAdjustmentRequest.findUniqueOrThrow({ where: { id } });
    const balance = (await t.db.team.findUniqueOrThrow({ where: { id: team.teamId } })).balance;
    expect(balance).toBe(request.status === "CONFIRMED" ? 90_000_000n : 0n);
  });
});
