import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Credit-line applications through the real route handlers (session replaced by a test user) on a real database:
// every state change and every refusal, the two-person rule, the email link, the guarantee and the line's management.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("server-only", () => ({}));
vi.mock("../../lib/auth/config", () => ({ auth: async () => (session.userId ? { user: { id: session.userId } } : null) }));

import { GET as teamLine, POST as submit, PUT as saveDraft } from "../../app/api/teams/[team]/credit-line/route";
import { POST as answer } from "../../app/api/teams/[team]/credit-line/[id]/answer/route";
import { POST as withdraw } from "../../app/api/teams/[team]/credit-line/[id]/withdraw/route";
import { POST as resend } from "../../app/api/teams/[team]/credit-line/[id]/resend-email/route";
import { POST as confirmEmail } from "../../app/api/credit-line/confirm-email/route";
import { GET as queue } from "../../app/api/admin/credit-lines/route";
import { POST as approve } from "../../app/api/admin/credit-lines/[id]/approve/route";
import { POST as confirm } from "../../app/api/admin/credit-lines/[id]/confirm/route";
import { POST as reject } from "../../app/api/admin/credit-lines/[id]/reject/route";
import { POST as requestInfo } from "../../app/api/admin/credit-lines/[id]/request-info/route";
import { POST as manage } from "../../app/api/admin/credit-lines/teams/[teamId]/route";
import { GET as v1Line } from "../../app/api/v1/billing/credit-line/route";
import { confirmCompanyEmail } from "../../lib/billing/credit-lines/confirm-company-email";
import { guaranteeKeyPrefix } from "../../lib/billing/credit-lines/guarantee-deposits";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTeam } from "../billing/factories";

let t: TestDatabase;
let adminA: string;
let adminB: string;
let adminC: string;
beforeAll(async () => {
  process.env.AUTH_SECRET ??= "test-secret-for-credit-line-links-0123456789";
  t = await createTestDatabase();
  (globalThis as { creditdeskDb?: unknown }).creditdeskDb = t.db;
  const admin = async (n: string) => (await t.db.user.create({ data: { email: `admin-${n}@platform.test`, isPlatformAdmin: true } })).id;
  adminA = await admin("a");
  adminB = await admin("b");
  adminC = await admin("c");
});
afterAll(async () => {
  (globalThis as { creditdeskDb?: unknown }).creditdeskDb = undefined;
  await t?.close();
});

type Json = Record<string, any> & { error?: { code: string; message: string; field?: string } }; // eslint-disable-line @typescript-eslint/no-explicit-any
type Handler<P> = (req: Request, ctx: { params: Promise<P> }) => Promise<Response>;
async function call<P>(handler: Handler<P>, params: P, as: string | null, body?: unknown, query = "") {
  session.userId = as;
  const init: RequestInit =
    body === undefined
      ? { method: "GET" }
      : { method: "POST", headers: { "content-type": "application/json", origin: "http://app.test" }, body: JSON.stringify(body) };
  const res = await handler(new Request(`http://app.test/api/x${query}`, init), { params: Promise.resolve(params) });
  return { status: res.status, json: (await res.json()) as Json };
}

const enterprise = {
  applicantType: "ENTERPRISE",
  companyName: "Acme Corp",
  website: "https://www.acme.test",
  productInfo: "Image generation for retailers",
  businessUseCase: "Product photos at scale",
  contactEmail: "cfo@mail.acme.test",
  expectedUsage: "1,200",
  requestedLimit: "1500",
};
const individual = {
  applicantType: "INDIVIDUAL_WITH_PRODUCT",
  productInfo: "A photo app",
  appLink: "https://apps.example.test/photo",
  expectedUsage: 300,
  requestedLimit: 500,
};

async function lastLink(teamId: string): Promise<string> {
  const n = await t.db.notification.findFirstOrThrow({ where: { teamId, kind: "credit_line_email_confirmation" }, orderBy: { createdAt: "desc" } });
  return /token=([^\s]+)/.exec(n.body)![1]!;
}
const statusOf = async (id: string) => (await t.db.creditLineApplication.findUniqueOrThrow({ where: { id } })).status;
const limitOf = async (teamId: string) => (await t.db.team.findUniqueOrThrow({ where: { id: teamId } })).creditLimitCents;
const audit = (targetId: string) => t.db.auditLog.findMany({ where: { targetId }, orderBy: { createdAt: "asc" } });

describe("applying", () => {
  it("refuses missing materials, look-alike domains, absurd limits, strangers and plain members; nothing is saved", async () => {
    const team = await makeTeam(t.db);
    const member = (await t.db.user.create({ data: { email: "member@acme.test" } })).id;
    await t.db.membership.create({ data: { teamId: team.teamId, userId: member, role: "MEMBER" } });
    const stranger = await makeTeam(t.db);
    const p = { team: team.slug };
    const cases: [unknown, string][] = [
      [{ ...enterprise, companyName: "" }, "companyName"],
      [{ ...enterprise, website: null }, "website"],
      [{ ...enterprise, businessUseCase: "  " }, "businessUseCase"],
      [{ ...enterprise, contactEmail: null }, "contactEmail"],
      [{ ...enterprise, contactEmail: "cfo@acme.test.evil.io" }, "contactEmail"],
      [{ ...enterprise, contactEmail: "cfo@acme-test.io" }, "contactEmail"],
      [{ ...enterprise, contactEmail: "cfo@acrne.test" }, "contactEmail"],
      [{ ...enterprise, contactEmail: "cfo@gmail.com" }, "contactEmail"],
      [{ ...enterprise, website: "javascript:alert(1)" }, "website"],
      [{ ...enterprise, requestedLimit: "-5" }, "requestedLimit"],
      [{ ...enterprise, requestedLimit: "0" }, "requestedLimit"],
      [{ ...enterprise, requestedLimit: "99999999999" }, "requestedLimit"],
      [{ ...enterprise, requestedLimit: "1e9" }, "requestedLimit"],
      [{ ...enterprise, expectedUsage: "lots" }, "expectedUsage"],
      [{ ...individual, productInfo: null }, "productInfo"],
      [{ ...individual, appLink: null }, "website"],
      [{ ...individual, applicantType: "ROBOT" }, "applicantType"],
    ];
    for (const [body, field] of cases) {
      const r = await call(submit, p, team.userId, body);
      expect(r.status, JSON.stringify(body).slice(0, 100)).toBe(400);
      expect(r.json.error).toMatchObject({ code: "VALIDATION_FAILED", field });
    }
    const noProduct = await call(submit, p, team.userId, { applicantType: "INDIVIDUAL_WITHOUT_PRODUCT", expectedUsage: 10, requestedLimit: 100 });
    expect(noProduct.json.error).toMatchObject({ code: "VALIDATION_FAILED", field: "applicantType" });
    expect(noProduct.json.error!.message).toContain("Prepaid top-ups are the way");
    expect((await call(submit, p, member, individual)).status).toBe(403);
    expect((await call(submit, p, stranger.userId, individual)).status).toBe(404);
    expect((await call(submit, p, null, individual)).status).toBe(401);
    expect(await t.db.creditLineApplication.count({ where: { teamId: team.teamId } })).toBe(0);
    expect((await call(teamLine, p, member)).status).toBe(403);
  });

  it("an enterprise application waits for its company email; the link works once, expired and forged links are refused", async () => {
    const team = await makeTeam(t.db);
    const p = { team: team.slug };
    const r = await call(submit, p, team.userId, enterprise);
    expect(r.status).toBe(201);
    expect(r.json.application.status).toBe("AWAITING_EMAIL");
    const id = r.json.application.id as string;
    expect((await call(submit, p, team.userId, individual)).json.error?.code).toBe("CONFLICT");
    const mail = await t.db.notification.findFirstOrThrow({ where: { teamId: team.teamId, kind: "credit_line_email_confirmation" } });
    expect(mail.email).toBe("cfo@mail.acme.test");
    const token = await lastLink(team.teamId);

    const forged = token.slice(0, -3) + (token.endsWith("AAA") ? "BBB" : "AAA");
    expect((await call(confirmEmail, {}, null, { token: forged })).json.error).toMatchObject({ code: "VALIDATION_FAILED", field: "token" });
    await expect(confirmCompanyEmail({ db: t.db, token, now: new Date(Date.now() + 49 * 3_600_000) })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    expect(await statusOf(id)).toBe("AWAITING_EMAIL");

    // A new link replaces the old one.
    await t.db.creditLineApplication.update({ where: { id }, data: { emailTokenExpiresAt: new Date(Date.now() + 47 * 3_600_000) } });
    expect((await call(resend, { team: team.slug, id }, team.userId, {})).status).toBe(200);
    const fresh = await lastLink(team.teamId);
    expect(fresh).not.toBe(token);
    expect((await call(confirmEmail, {}, null, { token })).status).toBe(409);

    const both = await Promise.all([call(confirmEmail, {}, null, { token: fresh }), call(confirmEmail, {}, null, { token: fresh })]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await statusOf(id)).toBe("SUBMITTED");
    expect((await call(confirmEmail, {}, null, { token: fresh })).status).toBe(409);
    expect((await audit(id)).filter((a) => a.action === "credit_line.email_confirmed")).toHaveLength(1);
  });

  it("a draft keeps what is given (each field checked, none required) and becomes the application when sent", async () => {
    const team = await makeTeam(t.db);
    const p = { team: team.slug };
    const put = async (body: unknown) => {
      session.userId = team.userId;
      const res = await saveDraft(
        new Request("http://app.test/api/x", {
          method: "PUT",
          headers: { "content-type": "application/json", origin: "http://app.test" },
          body: JSON.stringify(body),
        }),
        { params: Promise.resolve(p) },
      );
      return { status: res.status, json: (await res.json()) as Json };
    };
    expect((await put({ applicantType: "INDIVIDUAL_WITHOUT_PRODUCT" })).json.error).toMatchObject({ field: "applicantType" });
    expect((await put({ applicantType: "ENTERPRISE", website: "ftp://x" })).json.error).toMatchObject({ field: "website" });
    const first = await put({ applicantType: "ENTERPRISE", companyName: "Half done" });
    expect(first.json.application.status).toBe("DRAFT");
    const again = await put({ applicantType: "ENTERPRISE", companyName: "Acme Corp", requestedLimit: "1500" });
    expect(again.json.application.id).toBe(first.json.application.id);
    const view = await call(teamLine, p, team.userId);
    expect(view.json).toMatchObject({ application: null, draft: { companyName: "Acme Corp", requestedLimitCents: 150_000 } });
    const sent = await call(submit, p, team.userId, enterprise);
    expect(sent.json.application).toEqual({ id: first.json.application.id, status: "AWAITING_EMAIL" });
    expect((await put({ applicantType: "ENTERPRISE" })).status).toBe(409);
    expect((await audit(first.json.application.id)).map((a) => a.action)).toEqual([
      "credit_line.draft_saved",
      "credit_line.draft_saved",
      "credit_line.submitted",
    ]);
  });

  it("the applicant withdraws; answering without a question is refused; another team's application is not found", async () => {
    const team = await makeTeam(t.db);
    const other = await makeTeam(t.db);
    const id = (await call(submit, { team: team.slug }, team.userId, individual)).json.application.id as string;
    expect((await call(answer, { team: team.slug, id }, team.userId, { message: "hello" })).status).toBe(409);
    expect((await call(withdraw, { team: other.slug, id }, other.userId, {})).status).toBe(404);
    expect((await call(withdraw, { team: team.slug, id }, team.userId, { reason: "Not now" })).status).toBe(200);
    expect(await statusOf(id)).toBe("WITHDRAWN");
    expect((await call(withdraw, { team: team.slug, id }, team.userId, {})).status).toBe(409);
    expect((await call(approve, { id }, adminA, { limit: 100, reason: "ok" })).status).toBe(409);
    expect((await audit(id)).map((a) => a.action)).toEqual(["credit_line.submitted", "credit_line.withdrawn"]);
  });
});

describe("reviewing", () => {
  it("admin routes refuse everyone else and change nothing", async () => {
    const team = await makeTeam(t.db);
    const id = (await call(submit, { team: team.slug }, team.userId, individual)).json.application.id as string;
    for (const who of [team.userId, null]) {
      const code = who ? 403 : 401;
      expect((await call(queue, {}, who)).status).toBe(code);
      expect((await call(approve, { id }, who, { limit: 100, reason: "ok" })).status).toBe(code);
      expect((await call(confirm, { id }, who, { reason: "ok" })).status).toBe(code);
      expect((await call(reject, { id }, who, { reason: "no" })).status).toBe(code);
      expect((await call(requestInfo, { id }, who, { reason: "why" })).status).toBe(code);
      expect((await call(manage, { teamId: team.teamId }, who, { action: "close", reason: "x" })).status).toBe(code);
    }
    expect(await statusOf(id)).toBe("SUBMITTED");
    expect(await limitOf(team.teamId)).toBe(0n);
  });

  it("info requested, answered, approved by A, confirmed by B once; A cannot confirm; members cannot review their own team", async () => {
    const team = await makeTeam(t.db);
    const id = (await call(submit, { team: team.slug }, team.userId, { ...individual, requestedLimit: 1500 })).json.application.id as string;
    const listed = await call(queue, {}, adminA, undefined, "?type=INDIVIDUAL_WITH_PRODUCT");
    expect((listed.json.applications as { id: string }[]).some((a) => a.id === id)).toBe(true);
    expect((await call(queue, {}, adminA, undefined, "?type=ENTERPRISE")).json.applications.some((a: { id: string }) => a.id === id)).toBe(false);

    expect((await call(requestInfo, { id }, adminA, { reason: " " })).json.error).toMatchObject({ field: "reason" });
    expect((await call(requestInfo, { id }, adminA, { reason: "Who are your customers?" })).status).toBe(200);
    expect(await statusOf(id)).toBe("INFO_REQUESTED");
    expect((await call(approve, { id }, adminA, { limit: 1500, reason: "ok" })).status).toBe(409);
    expect((await call(answer, { team: team.slug, id }, team.userId, { message: "Photographers, mostly." })).status).toBe(200);
    const view = await call(teamLine, { team: team.slug }, team.userId);
    expect(view.json.application.messages.map((m: { body: string; fromReviewer: boolean }) => [m.fromReviewer, m.body])).toEqual([
      [true, "Who are your customers?"],
      [false, "Photographers, mostly."],
    ]);

    // A platform admin who is in the team reviews nothing of it.
    await t.db.membership.create({ data: { teamId: team.teamId, userId: adminC, role: "MEMBER" } });
    expect((await call(approve, { id }, adminC, { limit: 1500, reason: "mine" })).json.error?.code).toBe("FORBIDDEN");
    for (const limit of ["-1", "0", "abc", "5000000"]) {
      expect((await call(approve, { id }, adminA, { limit, reason: "ok" })).json.error, limit).toMatchObject({ code: "VALIDATION_FAILED", field: "limit" });
    }
    expect((await call(approve, { id }, adminA, { limit: 1500, reason: "" })).json.error).toMatchObject({ field: "reason" });
    const first = await call(approve, { id }, adminA, { limit: "1,500", reason: "Solid product, steady top-ups" });
    expect(first.json).toEqual({ id, status: "AWAITING_SECOND_APPROVAL" });
    expect(await limitOf(team.teamId)).toBe(0n);
    // The applicant sees that it waits, not the pending limit, the reason or who approved.
    const pending = (await call(teamLine, { team: team.slug }, team.userId)).json.application;
    expect(pending).toMatchObject({
      status: "AWAITING_SECOND_APPROVAL",
      approvedLimitCents: null,
      reviewReason: null,
      firstApproverUserId: null,
      reviewerUserId: null,
    });
    expect((await call(confirm, { id }, adminA, { reason: "me again" })).json.error?.code).toBe("FORBIDDEN");
    expect((await call(confirm, { id }, adminC, { reason: "my team" })).json.error?.code).toBe("FORBIDDEN");
    await t.db.membership.deleteMany({ where: { teamId: team.teamId, userId: adminC } });

    const results = await Promise.all([call(confirm, { id }, adminB, { reason: "Agreed" }), call(confirm, { id }, adminC, { reason: "Agreed too" })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await statusOf(id)).toBe("APPROVED");
    expect(await limitOf(team.teamId)).toBe(150_000n);
    const actions = (await audit(id)).map((a) => a.action);
    expect(actions).toEqual([
      "credit_line.submitted",
      "credit_line.info_requested",
      "credit_line.answered",
      "credit_line.approved_first",
      "credit_line.approval_confirmed",
    ]);
    expect(await t.db.auditLog.count({ where: { action: "credit_line.limit_set", teamId: team.teamId } })).toBe(1);
    expect(await t.db.notification.count({ where: { teamId: team.teamId, kind: "credit_line", title: "Your credit line is approved" } })).toBe(1);

    const v1 = await call(v1Line as Handler<object>, {}, team.userId, undefined, `?team=${team.slug}`);
    expect(v1.json).toMatchObject({
      status: "active",
      limit_cents: 150_000,
      drawn_cents: 0,
      available_cents: 150_000,
      next_statement_at: new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 1, 1)).toISOString(),
    });
  });

  it("below the two-person amount one approval takes effect; a rejection carries its reason to the applicant", async () => {
    const team = await makeTeam(t.db);
    const id = (await call(submit, { team: team.slug }, team.userId, individual)).json.application.id as string;
    expect((await call(approve, { id }, adminA, { limit: 200, reason: "First line, per policy" })).json.status).toBe("APPROVED");
    expect(await limitOf(team.teamId)).toBe(20_000n);

    const other = await makeTeam(t.db);
    const no = (await call(submit, { team: other.slug }, other.userId, individual)).json.application.id as string;
    expect((await call(reject, { id: no }, adminB, { reason: "We could not verify the app." })).json.status).toBe("REJECTED");
    const seen = await call(teamLine, { team: other.slug }, other.userId);
    expect(seen.json.application).toMatchObject({ status: "REJECTED", reviewReason: "We could not verify the app." });
    expect(await limitOf(other.teamId)).toBe(0n);
  });

  it("a $5,000 request cannot be approved before its guarantee is paid", async () => {
    const team = await makeTeam(t.db);
    const id = (await call(submit, { team: team.slug }, team.userId, { ...individual, requestedLimit: 5000 })).json.application.id as string;
    expect((await t.db.creditLineApplication.findUniqueOrThrow({ where: { id } })).guaranteeCents).toBe(500_000n);
    const refused = await call(approve, { id }, adminA, { limit: 5000, reason: "ok" });
    expect(refused.json.error?.code).toBe("CONFLICT");
    expect(refused.json.error?.message).toContain("guarantee");
    expect(await statusOf(id)).toBe("SUBMITTED");
    // A paid Checkout top-up marked as this application's deposit (what fulfilCheckout leaves behind).
    await t.db.payment.create({
      data: {
        teamId: team.teamId,
        kind: "TOPUP",
        status: "SUCCEEDED",
        method: "card",
        amountCents: 500_000n,
        credits: 1n,
        idempotencyKey: `${guaranteeKeyPrefix(id)}x1`,
      },
    });
    expect((await call(approve, { id }, adminA, { limit: 5000, reason: "Guarantee paid" })).json.status).toBe("AWAITING_SECOND_APPROVAL");
    expect((await call(confirm, { id }, adminB, { reason: "Agreed" })).json.status).toBe("APPROVED");
    expect(await limitOf(team.teamId)).toBe(500_000n);
  });
});

describe("increases and the line", () => {
  it("an increase waits for healthy cycles and must ask for more; admins lower, suspend, resume and close with a reason", async () => {
    const team = await makeTeam(t.db, { creditLimitCents: 20_000n });
    const p = { team: team.slug };
    const early = await call(submit, p, team.userId, { ...individual, requestedLimit: 500 });
    expect(early.json.error?.code).toBe("CONFLICT");
    const day = 86_400_000;
    for (const [i, late] of [
      [3, false],
      [2, false],
    ] as const) {
      const closesAt = new Date(Date.now() - i * 30 * day);
      await t.db.statement.create({
        data: {
          teamId: team.teamId,
          kind: "CREDIT_LINE",
          closesAt,
          drawnCredits: 1n,
          amountCents: 100n,
          status: "PAID",
          dueAt: new Date(closesAt.getTime() + 14 * day),
          paidAt: new Date(closesAt.getTime() + (late ? 20 : 3) * day),
        },
      });
    }
    expect((await call(submit, p, team.userId, { ...individual, requestedLimit: 200 })).json.error).toMatchObject({ field: "requestedLimit" });
    const inc = await call(submit, p, team.userId, { ...individual, requestedLimit: 500 });
    expect(inc.status).toBe(201);
    const app = await t.db.creditLineApplication.findUniqueOrThrow({ where: { id: inc.json.application.id } });
    expect(app.kind).toBe("INCREASE");
    expect((await call(approve, { id: app.id }, adminA, { limit: 150, reason: "less" })).json.error).toMatchObject({ field: "limit" });
    expect((await call(approve, { id: app.id }, adminA, { limit: 500, reason: "Paid on time twice" })).json.status).toBe("APPROVED");
    expect(await limitOf(team.teamId)).toBe(50_000n);

    const m = { teamId: team.teamId };
    expect((await call(manage, m, adminA, { action: "lower", limit: 600, reason: "x" })).json.error).toMatchObject({ field: "limit" });
    expect((await call(manage, m, adminA, { action: "lower", limit: 300, reason: "" })).json.error).toMatchObject({ field: "reason" });
    expect((await call(manage, m, adminA, { action: "lower", limit: 300, reason: "Usage fell" })).json).toMatchObject({ limitCents: 30_000, suspended: false });
    expect((await call(manage, m, adminA, { action: "suspend", reason: "Chargeback" })).json).toMatchObject({ suspended: true });
    expect((await call(manage, m, adminA, { action: "suspend", reason: "again" })).status).toBe(409);
    expect((await call(manage, m, adminB, { action: "resume", reason: "Resolved" })).json).toMatchObject({ suspended: false });
    expect((await call(manage, m, adminB, { action: "close", reason: "Asked to close" })).json).toMatchObject({ limitCents: 0, suspended: false });
    expect((await call(manage, m, adminB, { action: "close", reason: "twice" })).status).toBe(409);
    const line = (await t.db.auditLog.findMany({ where: { teamId: team.teamId, targetType: "team", action: { not: "credit_line.limit_set" } } })).map((a) => [
      a.action,
      (a.data as { reason: string }).reason,
    ]);
    expect(line).toEqual([
      ["credit_line.lowered", "Usage fell"],
      ["credit_line.suspended", "Chargeback"],
      ["credit_line.resumed", "Resolved"],
      ["credit_line.closed", "Asked to close"],
    ]);
  });
});
