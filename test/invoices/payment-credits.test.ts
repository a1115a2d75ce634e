import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatCents as formatCentsOnScreen } from "../../components/format";
import { createCoupon } from "../../lib/billing/coupons/create-coupon";
import { ledgerCsvStream } from "../../lib/billing/exports/ledger-csv-stream";
import { generatePaymentInvoice } from "../../lib/billing/invoices/generate-payment-invoice";
import { getInvoice } from "../../lib/billing/invoices/get-invoice";
import { listInvoices } from "../../lib/billing/invoices/list-invoices";
import { listUninvoicedPayments } from "../../lib/billing/invoices/list-uninvoiced-payments";
import { renderInvoicePdf } from "../../lib/billing/invoices/render-invoice-pdf";
import { formatCents } from "../../lib/billing/money";
import { getTeamPayment } from "../../lib/billing/payments/get-payment";
import { listPayments } from "../../lib/billing/payments/list-payments";
import { closeTopUp } from "../../lib/billing/topups/close-top-up";
import { createTopUpCheckout } from "../../lib/billing/topups/create-top-up-checkout";
import { makeTeam, teamBalance } from "../billing/factories";
import { startStripeTestEnv, type StripeTestEnv } from "../stripe/helpers";
import { parseCsv } from "./csv";
import { pdfText } from "./pdf-text";

let env: StripeTestEnv;
beforeAll(async () => {
  env = await startStripeTestEnv();
});
afterAll(() => env?.close());

describe("every credit figure for one payment agrees", () => {
  it("a $60 top-up with a coupon shows the same credits in payment history, on Invoices, in the invoice (list, PDF) and in the CSV export", async () => {
    const { teamId, slug, userId } = await makeTeam(env.t.db);
    const coupon = await createCoupon({
      db: env.t.db,
      actorUserId: null,
      input: { code: `AGREE${Date.now().toString(36).toUpperCase()}`, bonusPercent: "10", grantCredits: "100000" },
    });
    const started = await createTopUpCheckout({
      db: env.t.db,
      gateway: env.gateway,
      team: { id: teamId, slug, stripeCustomerId: null },
      actorUserId: userId,
      customerEmail: "payer@example.test",
      input: { amount: "60", method: "card", coupon: coupon.code },
      ui: "embedded",
      appUrl: "http://app.test",
    });
    await env.control(`checkout_sessions/${started.sessionId}/complete`, { outcome: "paid" });
    await env.delivered();

    // At 80,000 credits a dollar: 4,800,000 bought + 10% bonus 480,000 + the code's 100,000.
    const bought = 4_800_000n;
    const total = 5_380_000n;
    expect(await teamBalance(env.t.db, teamId)).toBe(total);
    const payment = await env.t.db.payment.findUniqueOrThrow({ where: { id: started.payment.id } });
    // What fulfilment credited for the payment, which refunds and disputes take their share of.
    const credited = await env.t.db.ledgerEntry.aggregate({ where: { paymentId: payment.id }, _sum: { amount: true } });
    expect(credited._sum.amount).toBe(total);

    const history = (await listPayments({ db: env.t.db, teamId })).items[0]!;
    expect(history).toMatchObject({ id: payment.id, credits: bought, bonusCredits: 480000n, couponCredits: 100000n, totalCredits: total });
    expect(await getTeamPayment({ db: env.t.db, teamId, paymentId: payment.id })).toMatchObject({ totalCredits: total });
    const uninvoiced = (await listUninvoicedPayments({ db: env.t.db, teamId }))[0]!;
    expect(uninvoiced).toMatchObject({ id: payment.id, couponCredits: 100000n, totalCredits: total });

    const { invoice } = await generatePaymentInvoice({ db: env.t.db, teamId, paymentId: payment.id, actorUserId: userId });
    const view = (await getInvoice({ db: env.t.db, teamId, invoiceId: invoice.id }))!;
    expect(view.credits).toEqual({ bought, bonus: 480000n, coupon: 100000n, total });
    expect((await listInvoices({ db: env.t.db, teamId })).invoices[0]!.credits?.total).toBe(total);
    const text = (await pdfText(await renderInvoicePdf({ invoice: view }))).join("\n");
    expect(text).toContain("5,380,000 credits");
    expect(text).toContain("4,800,000");
    expect(text).toContain("480,000");
    expect(text).toContain("100,000");
    expect(text).toContain("$60.00");
    expect(text).not.toMatch(/\b6,000,000\b|\b5,280,000\b/);

    const now = new Date();
    const csv = parseCsv(
      await new Response(
        ledgerCsvStream({ db: env.t.db, teamId, from: new Date(now.getTime() - 3600_000), toExclusive: new Date(now.getTime() + 3600_000) }),
      ).text(),
    );
    const paid = csv.filter((r) => r.paid_usd !== "" && r.date_utc !== "TOTAL");
    expect(paid).toHaveLength(1);
    expect(paid[0]).toMatchObject({ kind: "TOPUP", payment_id: payment.id, paid_usd: "60.00", payment_credits: String(total) });
    // The ledger rows of the payment add up to the same figure.
    expect(csv.filter((r) => r.payment_id === payment.id).reduce((a, r) => a + BigInt(r.credits!), 0n)).toBe(total);
  });

  it("a pending top-up's history row counts the code's credits it holds; a failed one's does not", async () => {
    const { teamId, slug } = await makeTeam(env.t.db);
    const coupon = await createCoupon({
      db: env.t.db,
      actorUserId: null,
      input: { code: `HELD${Date.now().toString(36).toUpperCase()}`, grantCredits: "50000", bonusPercent: "5" },
    });
    const start = (amount: string) =>
      createTopUpCheckout({
        db: env.t.db,
        gateway: env.gateway,
        team: { id: teamId, slug, stripeCustomerId: null },
        actorUserId: null,
        customerEmail: null,
        input: { amount, method: "card", coupon: coupon.code },
        ui: "embedded",
        appUrl: "http://app.test",
      });
    const pending = await start("25");
    expect((await listPayments({ db: env.t.db, teamId })).items[0]).toMatchObject({ status: "pending", totalCredits: 2_000_000n + 100_000n + 50_000n });
    await closeTopUp({ db: env.t.db, paymentId: pending.payment.id, status: "FAILED", failureMessage: "Your card was declined." });
    // Released: the code's credits are not this payment's any more (its bonus was never credited either).
    expect((await listPayments({ db: env.t.db, teamId })).items[0]).toMatchObject({
      status: "failed",
      couponCredits: 0n,
      bonusCredits: 0n,
      totalCredits: 2000000n,
    });
  });
});

describe("money in the invoice's own currency", () => {
  async function invoiceIn(currency: string, amountCents: bigint) {
    const { teamId } = await makeTeam(env.t.db);
    const inv = await env.t.db.invoice.create({
      data: {
        teamId,
        number: `X-${randomUUID().slice(0, 8)}`,
        source: "STRIPE",
        status: "PAID",
        amountCents,
        currency,
        stripeInvoiceId: `in_${randomUUID().replace(/-/g, "")}`,
        periodStart: new Date(),
        periodEnd: new Date(),
        paidAt: new Date(),
        lines: [{ description: "Pro plan", quantity: 1, amountCents: amountCents.toString() }],
      },
    });
    return (await getInvoice({ db: env.t.db, teamId, invoiceId: inv.id }))!;
  }

  it.each([
    ["eur", 123456n, "€1,234.56"],
    ["gbp", 5n, "£0.05"],
    ["jpy", 123456n, "¥123,456"],
    ["krw", 50000n, "₩50,000"],
    ["usd", 123456789012345678n, "$1,234,567,890,123,456.78"],
  ])("a %s invoice prints its own currency, from integers (%s minor units → %s), in the PDF and on screen", async (currency, minor, expected) => {
    const view = await invoiceIn(currency, minor);
    const text = (await pdfText(await renderInvoicePdf({ invoice: view }))).join("\n");
    // pdf-lib's standard font cannot draw ₩: it prints "?" there, never a dollar sign.
    expect(text).toContain(expected.replace("₩", "?"));
    if (currency !== "usd") expect(text).not.toContain("$");
    expect(formatCents(minor, currency)).toBe(expected);
    expect(formatCentsOnScreen(minor, currency)).toBe(expected);
    expect(formatCents(-minor, currency)).toBe(`-${expected}`);
  });
});
