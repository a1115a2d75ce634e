import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueStatement } from "../../lib/billing/statements/issue-statement";
import { stripeStatementGateway } from "../../lib/stripe/statement-gateway";
import { startStripeTestEnv, type StripeTestEnv } from "../stripe/helpers";
import { makeTeam } from "../billing/factories";
import { teamWithCard } from "./helpers";

// Review of issuing statements against the emulator (the real SDK, idempotency keys checked as Stripe does): a retry
// after a failure between steps, and two instances issuing one statement at once.
let env: StripeTestEnv;
beforeAll(async () => {
  env = await startStripeTestEnv();
});
afterAll(() => env?.close());

const DAY = 86_400_000;

async function billingStatement(teamId: string, dueAt: Date, collection = "send_invoice") {
  return env.t.db.statement.create({
    data: { teamId, kind: "CREDIT_LINE", closesAt: new Date(), drawnCredits: 400_000n, amountCents: 500n, collection, dueAt },
  });
}

/** The SDK client whose first invoiceItems.create fails (a network error after the invoice was made). */
function failingOnce(stripe: Stripe): Stripe {
  let failed = false;
  return new Proxy(stripe, {
    get(target, prop, receiver) {
      if (prop !== "invoiceItems") return Reflect.get(target, prop, receiver);
      return new Proxy(target.invoiceItems, {
        get(items, p, r) {
          if (p !== "create") return Reflect.get(items, p, r);
          return (...args: Parameters<Stripe["invoiceItems"]["create"]>) => {
            if (!failed) {
              failed = true;
              return Promise.reject(new Error("connection reset"));
            }
            return items.create(...args);
          };
        },
      });
    },
  });
}

describe("issuing a statement", () => {
  it("a retry after a failure between steps finishes the same invoice, even once a day has passed towards its due date", async () => {
    // No card on file: the statement is sent with a due date, which is what the retry must send the same way.
    const team = await makeTeam(env.t.db, { creditLimitCents: 100_000n });
    const customer = await env.stripe.customers.create({ email: "ap@example.test", metadata: { team_id: team.teamId } });
    await env.t.db.team.update({ where: { id: team.teamId }, data: { stripeCustomerId: customer.id } });
    const t = { ...team, customerId: customer.id };
    // Due a day and a second and a half from now: the whole days left change while the retry waits.
    const st = await billingStatement(t.teamId, new Date(Date.now() + DAY + 1500));
    const gateway = { ...env.gateway, ...stripeStatementGateway(failingOnce(env.stripe)) };
    await expect(issueStatement({ db: env.t.db, gateway, statementId: st.id })).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 2500));
    const issued = await issueStatement({ db: env.t.db, gateway, statementId: st.id });
    expect(issued.status).toBe("OPEN");
    const invoices = (await env.stripe.invoices.list({ customer: t.customerId, limit: 10 })).data.filter((i) => i.metadata?.creditdesk_statement === st.id);
    expect(invoices.map((i) => [i.id, i.status, i.amount_due])).toEqual([[issued.stripeInvoiceId, "open", 500]]);
  });
  it("a statement paid partly from the customer's Stripe credit balance (a downgrade's proration) is repaid", async () => {
    const t = await teamWithCard(env);
    await env.stripe.customers.update(t.customerId, { balance: -300 });
    await env.delivered();
    const st = await billingStatement(t.teamId, new Date(Date.now() + 14 * DAY), "charge_automatically");
    const issued = await issueStatement({ db: env.t.db, gateway: env.gateway, statementId: st.id });
    await env.delivered();
    const invoice = await env.stripe.invoices.retrieve(issued.stripeInvoiceId!);
    expect(invoice).toMatchObject({ status: "paid", total: 500, amount_paid: 200 });
    expect(await env.t.db.statement.findUniqueOrThrow({ where: { id: st.id } })).toMatchObject({ status: "PAID" });
    const repaid = await env.t.db.ledgerEntry.findMany({ where: { teamId: t.teamId, kind: "CREDIT_LINE_STATEMENT" } });
    expect(repaid.map((e) => e.amount)).toEqual([400_000n]);
  });
  it("two instances issuing one statement at once make one invoice, charge it once and repay it once", async () => {
    const t = await teamWithCard(env);
    const st = await billingStatement(t.teamId, new Date(Date.now() + 14 * DAY), "charge_automatically");
    const results = await Promise.allSettled([0, 1, 2].map(() => issueStatement({ db: env.t.db, gateway: env.gateway, statementId: st.id })));
    await env.delivered();
    await issueStatement({ db: env.t.db, gateway: env.gateway, statementId: st.id });
    await env.delivered();
    expect(results.some((r) => r.status === "fulfilled")).toBe(true);
    const invoices = (await env.stripe.invoices.list({ customer: t.customerId, limit: 10 })).data.filter((i) => i.metadata?.creditdesk_statement === st.id);
    expect(invoices.map((i) => [i.status, i.amount_paid])).toEqual([["paid", 500]]);
    expect(await env.t.db.statement.findUniqueOrThrow({ where: { id: st.id } })).toMatchObject({ status: "PAID", stripeInvoiceId: invoices[0]!.id });
    const repaid = await env.t.db.ledgerEntry.findMany({ where: { teamId: t.teamId, kind: "CREDIT_LINE_STATEMENT" } });
    expect(repaid.map((e) => e.amount)).toEqual([400_000n]);
  });
  it("a credit line team that never had a Stripe customer is still billed (a customer is made for its statement)", async () => {
    const team = await makeTeam(env.t.db, { creditLimitCents: 100_000n });
    const st = await billingStatement(team.teamId, new Date(Date.now() + 14 * DAY));
    const issued = await issueStatement({ db: env.t.db, gateway: env.gateway, statementId: st.id });
    expect(issued).toMatchObject({ status: "OPEN" });
    expect(issued.hostedInvoiceUrl).toMatch(/^http/);
    const customerId = (await env.t.db.team.findUniqueOrThrow({ where: { id: team.teamId } })).stripeCustomerId;
    expect(customerId).toMatch(/^cus_/);
    expect(await env.stripe.invoices.retrieve(issued.stripeInvoiceId!)).toMatchObject({ customer: customerId, status: "open", amount_due: 500 });
  });
  // Last: it moves the emulator's clock on.
  it("a retry more than an hour after a failure between steps still bills the statement (the empty draft is not finalized at $0)", async () => {
    const t = await teamWithCard(env);
    const st = await billingStatement(t.teamId, new Date(Date.now() + 14 * DAY), "charge_automatically");
    const gateway = { ...env.gateway, ...stripeStatementGateway(failingOnce(env.stripe)) };
    await expect(issueStatement({ db: env.t.db, gateway, statementId: st.id })).rejects.toThrow();
    await env.control("clock/advance", { seconds: 3700 });
    await env.delivered();
    const issued = await issueStatement({ db: env.t.db, gateway, statementId: st.id });
    await env.delivered();
    const invoice = await env.stripe.invoices.retrieve(issued.stripeInvoiceId!);
    expect(invoice).toMatchObject({ status: "paid", amount_paid: 500 });
    expect(await env.t.db.statement.findUniqueOrThrow({ where: { id: st.id } })).toMatchObject({ status: "PAID" });
  });
});
