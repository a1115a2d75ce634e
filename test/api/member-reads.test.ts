import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Route handlers run as Next runs them, with the session replaced by a signed-in test user.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("server-only", () => ({}));
vi.mock("../../lib/auth/config", () => ({ auth: async () => (session.userId ? { user: { id: session.userId } } : null) }));

import { GET as overviewRoute } from "../../app/api/teams/[team]/overview/route";
import { GET as billingDetailsRoute } from "../../app/api/teams/[team]/billing-details/route";
import { GET as autoTopUpRoute } from "../../app/api/teams/[team]/auto-top-up/route";
import { GET as invoicesRoute } from "../../app/api/teams/[team]/invoices/route";
import { GET as invoicePdfRoute } from "../../app/api/teams/[team]/invoices/[id]/pdf/route";
import { GET as ledgerExportRoute } from "../../app/api/teams/[team]/ledger/export/route";
import { GET as paymentRoute } from "../../app/api/teams/[team]/payments/[id]/route";
import { GET as budgetApi } from "../../app/api/v1/billing/budget/route";
import { GET as creditLineApi } from "../../app/api/v1/billing/credit-line/route";
import { GET as teamCreditLineRoute } from "../../app/api/teams/[team]/credit-line/route";
import { GET as subscriptionRoute } from "../../app/api/teams/[team]/subscription/route";
import { setCreditLimit } from "../../lib/billing/credit-lines/set-credit-limit";
import { getSubscriptionView } from "../../lib/billing/subscriptions/get-subscription-view";
import type { Actor } from "../../lib/auth/permissions";
import { readAutoTopUp } from "../../lib/billing/auto-top-up/read-auto-top-up";
import { setAutoTopUp } from "../../lib/billing/auto-top-up/set-auto-top-up";
import { readBillingDetails } from "../../lib/billing/billing-details/read-billing-details";
import { setBillingDetails } from "../../lib/billing/billing-details/set-billing-details";
import { readBudget } from "../../lib/billing/budgets/read-budget";
import { setBudget } from "../../lib/billing/budgets/set-budget";
import { generatePaymentInvoice } from "../../lib/billing/invoices/generate-payment-invoice";
import { getOverview } from "../../lib/billing/overview/get-overview";
import { readTeamPayment } from "../../lib/billing/payments/get-payment";
import type { TeamRole } from "../../lib/db/generated/enums";
import { makeTeam, makeTeamWithRoles, userActor } from "../billing/factories";
import { putOnPlan } from "../buy-credit/helpers";
import { call as callApi, makeKey } from "./helpers";
import { startStripeTestEnv, type StripeTestEnv } from "../stripe/helpers";

let env: StripeTestEnv;
let team: Awaited<ReturnType<typeof makeTeamWithRoles>>;
let users: Record<TeamRole, string>;
let paymentId: string;
let invoiceId: string;

beforeAll(async () => {
  env = await startStripeTestEnv();
  const db = env.t.db;
  team = await makeTeamWithRoles(db, { name: "Roles team" });
  users = team.users;
  await putOnPlan(db, team.teamId, "pro");
  await setBillingDetails({
    db,
    teamId: team.teamId,
    actorUserId: team.userId,
    input: { companyName: "Secret Co", addressLine1: "1 Hidden Way", taxId: "TAX-SECRET-1", billingEmail: "ap@secret.example" },
  });
  await setBudget({ db, teamId: team.teamId, monthlyCapCents: 12_345n, hardCap: true });
  await setAutoTopUp({ db, teamId: team.teamId, actorUserId: team.userId, input: { enabled: true, threshold: "777777", amount: "50", maxPerMonth: 3 } });
  const p = await db.payment.create({
    data: {
      teamId: team.teamId,
      kind: "TOPUP",
      status: "SUCCEEDED",
      method: "card",
      amountCents: 2500n,
      credits: 2_000_000n,
      idempotencyKey: randomUUID(),
      succeededAt: new Date(),
    },
  });
  paymentId = p.id;
  // A credit line and a statement on it: draw facts a member must not see.
  await setCreditLimit({ db, teamId: team.teamId, limitCents: 150_000n, actorUserId: team.userId, reason: "test line" });
  await db.statement.create({
    data: { teamId: team.teamId, kind: "CREDIT_LINE", closesAt: new Date(Date.now() - 86_400_000), drawnCredits: 1n, amountCents: 4_242n, status: "OPEN" },
  });
  invoiceId = (await generatePaymentInvoice({ db, teamId: team.teamId, paymentId, actorUserId: team.userId })).invoice.id;
});
afterAll(() => env?.close());

type Handler<P> = (req: Request, ctx: { params: Promise<P> }) => Promise<Response>;
async function get<P extends { team: string }>(handler: Handler<P>, params: Omit<P, "team">, role: TeamRole, query = "") {
  session.userId = users[role];
  const res = await handler(new Request(`http://app.test/api/x${query}`), { params: Promise.resolve({ team: team.slug, ...params } as P) });
  return { status: res.status, text: await res.text() };
}

const SECRETS = ["Secret Co", "1 Hidden Way", "TAX-SECRET-1", "ap@secret.example", "12345", "777777"];
const actor = (role: TeamRole): Actor => userActor(users[role], team.teamId, role);

describe("a MEMBER gets 403 or nothing from every route that carries billing details or budget", () => {
  const refused: [string, () => Promise<{ status: number; text: string }>][] = [
    ["GET billing-details", () => get(billingDetailsRoute, {}, "MEMBER")],
    ["GET auto-top-up", () => get(autoTopUpRoute, {}, "MEMBER")],
    ["GET invoices", () => get(invoicesRoute, {}, "MEMBER")],
    ["GET invoices/:id/pdf", () => get<{ team: string; id: string }>(invoicePdfRoute, { id: invoiceId }, "MEMBER")],
    ["GET ledger/export", () => get(ledgerExportRoute, {}, "MEMBER", "?from=2026-01-01&to=2027-12-31")],
    ["GET payments/:id", () => get<{ team: string; id: string }>(paymentRoute, { id: paymentId }, "MEMBER")],
  ];
  it.each(refused)("%s → 403 with no billing data", async (_name, call) => {
    const r = await call();
    expect(r.status).toBe(403);
    for (const s of SECRETS) expect(r.text).not.toContain(s);
  });

  it("GET /api/v1/billing/budget with a member's session → 403", async () => {
    session.userId = users.MEMBER;
    const res = await budgetApi(new Request(`http://app.test/api/v1/billing/budget?team=${team.slug}`));
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain("12345");
  });

  it("GET overview: a member gets the figures without the budget or auto top-up; billing roles get them", async () => {
    const member = await get(overviewRoute, {}, "MEMBER");
    expect(member.status).toBe(200);
    const m = JSON.parse(member.text) as Record<string, unknown>;
    expect(m).toHaveProperty("balance");
    expect(m).not.toHaveProperty("budget");
    expect(m).not.toHaveProperty("autoTopUp");
    for (const s of SECRETS) expect(member.text).not.toContain(s);
    for (const role of ["OWNER", "ADMIN", "BILLING"] as const) {
      const r = await get(overviewRoute, {}, role);
      expect(r.status).toBe(200);
      const o = JSON.parse(r.text) as { budget: { capCents: number } | null; autoTopUp: { thresholdCredits: number } };
      expect(o.budget?.capCents, role).toBe(12345);
      expect(o.autoTopUp.thresholdCredits).toBe(777777);
    }
  });

  it("billing roles still read everything", async () => {
    for (const role of ["OWNER", "ADMIN", "BILLING"] as const) {
      expect((await get(billingDetailsRoute, {}, role)).text).toContain("TAX-SECRET-1");
      expect((await get(autoTopUpRoute, {}, role)).status).toBe(200);
      expect((await get<{ team: string; id: string }>(paymentRoute, { id: paymentId }, role)).status).toBe(200);
    }
  });
});

describe("draw and credit-line facts need billing:read", () => {
  it("GET subscription: a member gets draw null; billing roles get the draw with the open statement", async () => {
    const member = await get(subscriptionRoute, {}, "MEMBER");
    expect(member.status).toBe(200);
    expect((JSON.parse(member.text) as { draw: unknown }).draw).toBeNull();
    expect(member.text).not.toContain("4242");
    for (const role of ["OWNER", "ADMIN", "BILLING"] as const) {
      const r = await get(subscriptionRoute, {}, role);
      expect(r.status, role).toBe(200);
      const draw = (JSON.parse(r.text) as { draw: { open: { amountCents: number }[] } | null }).draw;
      expect(
        draw?.open.map((s) => s.amountCents),
        role,
      ).toEqual([4242]);
    }
    expect((await getSubscriptionView({ db: env.t.db, gateway: null, actor: actor("MEMBER") })).draw).toBeNull();
    expect((await getSubscriptionView({ db: env.t.db, gateway: null, actor: actor("BILLING") })).draw?.open).toHaveLength(1);
  });

  it("GET overview: a member gets no draw; billing roles get it", async () => {
    const member = await get(overviewRoute, {}, "MEMBER");
    expect(member.status).toBe(200);
    expect(JSON.parse(member.text)).not.toHaveProperty("draw");
    expect(member.text).not.toContain("4242");
    expect((await getOverview({ db: env.t.db, actor: actor("MEMBER") })).draw).toBeUndefined();
    for (const role of ["OWNER", "ADMIN", "BILLING"] as const) {
      const o = JSON.parse((await get(overviewRoute, {}, role)).text) as { draw?: { open: { amountCents: number }[] } };
      expect(
        o.draw?.open.map((s) => s.amountCents),
        role,
      ).toEqual([4242]);
    }
  });

  it("GET credit-line (team page's route and /api/v1): a member is refused (403), so is a stranger (404) and no one (401)", async () => {
    const member = await get(teamCreditLineRoute, {}, "MEMBER");
    expect(member.status).toBe(403);
    expect(member.text).not.toContain("150000");
    expect((await get(teamCreditLineRoute, {}, "BILLING")).status).toBe(200);

    const v1 = async (userId: string | null, query = `?team=${team.slug}`) => {
      session.userId = userId;
      const res = await creditLineApi(new Request(`http://app.test/api/v1/billing/credit-line${query}`));
      return { status: res.status, text: await res.text() };
    };
    const m = await v1(users.MEMBER);
    expect(m.status).toBe(403);
    expect(JSON.parse(m.text)).toMatchObject({ error: { code: "FORBIDDEN" } });
    expect(m.text).not.toContain("150000");
    const stranger = await makeTeam(env.t.db);
    expect((await v1(stranger.userId)).status).toBe(404);
    expect((await v1(null)).status).toBe(401);
    for (const role of ["OWNER", "ADMIN", "BILLING"] as const) {
      const r = await v1(users[role]);
      expect(r.status, role).toBe(200);
      expect(JSON.parse(r.text)).toMatchObject({ status: "active", limit_cents: 150_000 });
    }
    // Programs: both key roles carry billing:read; a bad key is refused.
    session.userId = null;
    const key = await makeKey(env.t.db, team.teamId, team.userId, "READ_ONLY");
    expect((await callApi(creditLineApi, { key: key.secret })).json).toMatchObject({ limit_cents: 150_000 });
    expect((await callApi(creditLineApi, { key: `${key.secret}x` })).status).toBe(401);
  });
});

describe("the permission-checked core reads pages and routes share", () => {
  it("refuse a MEMBER (FORBIDDEN) or leave out what the role may not see; answer the billing roles", async () => {
    const db = env.t.db;
    await expect(readBillingDetails({ db, actor: actor("MEMBER") })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(readBudget({ db, actor: actor("MEMBER") })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(readAutoTopUp({ db, actor: actor("MEMBER") })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(readTeamPayment({ db, actor: actor("MEMBER"), paymentId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const o = await getOverview({ db, actor: actor("MEMBER") });
    expect(o.budget).toBeUndefined();
    expect(o.autoTopUp).toBeUndefined();
    for (const role of ["OWNER", "ADMIN", "BILLING"] as const) {
      expect(await readBillingDetails({ db, actor: actor(role) })).toMatchObject({ taxId: "TAX-SECRET-1" });
      expect((await readBudget({ db, actor: actor(role) })).budget?.monthlyCapCents).toBe(12_345n);
      expect((await readAutoTopUp({ db, actor: actor(role) })).thresholdCredits).toBe(777_777n);
      expect(await readTeamPayment({ db, actor: actor(role), paymentId })).toMatchObject({ id: paymentId });
      expect((await getOverview({ db, actor: actor(role) })).budget?.capCents).toBe(12_345n);
    }
    // An API key: read-only keys read billing, as the API already lets them.
    const keyActor: Actor = { kind: "apiKey", apiKeyId: "key_x", keyName: "x", teamId: team.teamId, keyRole: "READ_ONLY" };
    expect((await readBudget({ db, actor: keyActor })).budget).not.toBeNull();
  });
});
