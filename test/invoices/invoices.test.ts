import { randomUUID } from "node:crypto";
import { parseCsv } from "./csv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setBillingDetails } from "../../lib/billing/billing-details/set-billing-details";
import { BillingError } from "../../lib/billing/errors";
import { ledgerCsvStream } from "../../lib/billing/exports/ledger-csv-stream";
import { parseExportRange } from "../../lib/billing/exports/parse-export-range";
import { generatePaymentInvoice } from "../../lib/billing/invoices/generate-payment-invoice";
import { getInvoice } from "../../lib/billing/invoices/get-invoice";
import { listInvoices } from "../../lib/billing/invoices/list-invoices";
import { listUninvoicedPayments } from "../../lib/billing/invoices/list-uninvoiced-payments";
import { renderInvoicePdf } from "../../lib/billing/invoices/render-invoice-pdf";
import { creditCredits } from "../../lib/billing/ledger/credit-credits";
import { recordUsage } from "../../lib/billing/usage/record-usage";
import { buyCredits } from "../../lib/billing/purchases/buy-credits";
import { GET as invoicesApi } from "../../app/api/v1/billing/invoices/route";
import { call, makeKey } from "../api/helpers";
import { makeTeam } from "../billing/factories";
import { putOnPlan, saveCard } from "../buy-credit/helpers";
import { startStripeTestEnv, type StripeTestEnv } from "../stripe/helpers";
import { pdfText } from "./pdf-text";

let env: StripeTestEnv;
beforeAll(async () => {
  env = await startStripeTestEnv();
});
afterAll(() => env?.close());

/** A paid payment as fulfilment leaves it, with its credits. */
async function paidPayment(teamId: string, amountCents = 2500n, at = new Date()) {
  const credits = amountCents * 800n;
  const payment = await env.t.db.payment.create({
    data: { teamId, kind: "TOPUP", status: "SUCCEEDED", method: "card", amountCents, credits, idempotencyKey: `t-${randomUUID()}`, succeededAt: at },
  });
  await creditCredits({ db: env.t.db, teamId, amount: credits, kind: "TOPUP", idempotencyKey: `topup:${payment.id}`, paymentId: payment.id });
  return payment;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

const HOSTILE = {
  companyName: `<script>alert("x")</script> Acme & Söhne`,
  addressLine1: "1 <b>Main</b> Street",
  city: "Zürich",
  postalCode: "8001",
  country: "CH",
  taxId: "CHE-123.456.789 MWST",
  billingEmail: "ap@acme.example",
};

describe("invoices", () => {
  it("Generate invoice makes one invoice per paid payment, even when clicked concurrently", async () => {
    const { teamId, userId } = await makeTeam(env.t.db, { name: "Invoice team" });
    const p = await paidPayment(teamId);
    expect((await listUninvoicedPayments({ db: env.t.db, teamId })).map((x) => x.id)).toEqual([p.id]);
    const results = await Promise.all(Array.from({ length: 6 }, () => generatePaymentInvoice({ db: env.t.db, teamId, paymentId: p.id, actorUserId: userId })));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.invoice.id)).size).toBe(1);
    const inv = results[0]!.invoice;
    expect(inv).toMatchObject({ source: "CREDITDESK", status: "PAID", amountCents: 2500n, paymentId: p.id });
    expect(inv.number).toMatch(/^CD-[0-9A-F]{6}-00001$/);
    expect(await listUninvoicedPayments({ db: env.t.db, teamId })).toEqual([]);
    const second = await generatePaymentInvoice({ db: env.t.db, teamId, paymentId: (await paidPayment(teamId)).id, actorUserId: userId });
    expect(second.invoice.number).toMatch(/-00002$/);
    expect(await env.t.db.auditLog.count({ where: { teamId, action: "invoice.generated" } })).toBe(2);
  });

  it("refuses unpaid payments and other teams' payments", async () => {
    const a = await makeTeam(env.t.db);
    const b = await makeTeam(env.t.db);
    const pending = await env.t.db.payment.create({
      data: { teamId: a.teamId, kind: "TOPUP", method: "card", amountCents: 500n, credits: 1n, idempotencyKey: randomUUID() },
    });
    await expect(generatePaymentInvoice({ db: env.t.db, teamId: a.teamId, paymentId: pending.id, actorUserId: null })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
    const paid = await paidPayment(a.teamId);
    await expect(generatePaymentInvoice({ db: env.t.db, teamId: b.teamId, paymentId: paid.id, actorUserId: null })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const inv = await generatePaymentInvoice({ db: env.t.db, teamId: a.teamId, paymentId: paid.id, actorUserId: null });
    expect(await getInvoice({ db: env.t.db, teamId: b.teamId, invoiceId: inv.invoice.id })).toBeNull();
  });

  it("billing details with markup are stored as typed and drawn as literal text in the PDF; bad details are refused", async () => {
    const { teamId, userId } = await makeTeam(env.t.db, { name: "PDF team" });
    const saved = await setBillingDetails({ db: env.t.db, teamId, actorUserId: userId, input: HOSTILE });
    expect(saved.companyName).toBe(HOSTILE.companyName);
    const p = await paidPayment(teamId, 50_000n);
    const { invoice } = await generatePaymentInvoice({ db: env.t.db, teamId, paymentId: p.id, actorUserId: userId });
    const view = (await getInvoice({ db: env.t.db, teamId, invoiceId: invoice.id }))!;
    const bytes = await renderInvoicePdf({ invoice: view });
    expect(Buffer.from(bytes.slice(0, 5)).toString()).toBe("%PDF-");
    const lines = await pdfText(bytes);
    for (const expected of [
      `Number ${invoice.number}`,
      HOSTILE.companyName,
      "PDF team",
      HOSTILE.addressLine1,
      "8001 Zürich",
      "CH",
      `Tax ID: ${HOSTILE.taxId}`,
      HOSTILE.billingEmail,
      "$500.00",
    ]) {
      expect(lines, expected).toContain(expected);
    }
    // The status in words, as Invoices shows it; no line prints a code in capitals (PAID) or with underscores.
    expect(lines.find((l) => l.startsWith("Status: "))).toMatch(/^Status: Paid \(paid [A-Z][a-z]+ \d{1,2}, \d{4}\)$/);
    expect(lines.filter((l) => /\b(PAID|OPEN|VOID|DRAFT|UNCOLLECTIBLE|[A-Z]+_[A-Z_]+|[a-z]+_[a-z_]+)\b/.test(l))).toEqual([]);
    for (const [status, words] of [
      ["open", "Status: Open"],
      ["uncollectible", "Status: Uncollectible"],
      ["void", "Status: Void"],
    ] as const) {
      expect(await pdfText(await renderInvoicePdf({ invoice: { ...view, status, paidAt: null } }))).toContain(words);
    }
    // Characters outside the PDF font's set print as "?" instead of failing the download.
    await setBillingDetails({ db: env.t.db, teamId, actorUserId: userId, input: { companyName: "株式会社 Example 🚀" } });
    const p2 = await paidPayment(teamId);
    const inv2 = await generatePaymentInvoice({ db: env.t.db, teamId, paymentId: p2.id, actorUserId: userId });
    expect(await pdfText(await renderInvoicePdf({ invoice: (await getInvoice({ db: env.t.db, teamId, invoiceId: inv2.invoice.id }))! }))).toContain(
      "???? Example ?",
    );
    // The earlier invoice keeps the details it was issued with.
    expect((await getInvoice({ db: env.t.db, teamId, invoiceId: invoice.id }))!.billedTo?.companyName).toBe(HOSTILE.companyName);

    for (const [input, field] of [
      [{ billingEmail: "not an email" }, "billingEmail"],
      [{ companyName: "x".repeat(201) }, "companyName"],
      [{ addressLine1: "line\nbreak" }, "addressLine1"],
      [{ taxId: "\u0000" }, "taxId"],
    ] as const) {
      const err = await setBillingDetails({ db: env.t.db, teamId, actorUserId: userId, input }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BillingError);
      expect((err as BillingError).details?.field).toBe(field);
    }
    expect(await env.t.db.auditLog.count({ where: { teamId, action: "billing_details.updated" } })).toBe(2);
  });

  it("a paid Buy Credit payment and a Stripe subscription invoice land in one list, newest first, in pages", async () => {
    const { teamId } = await makeTeam(env.t.db);
    await putOnPlan(env.t.db, teamId, "pro");
    const { customerId, paymentMethodId } = await saveCard(env.t.db, env.stripe, teamId);
    const bought = await buyCredits({
      db: env.t.db,
      gateway: env.gateway,
      team: { id: teamId, stripeCustomerId: customerId },
      actorUserId: null,
      input: { bundle: "100", idempotencyKey: randomUUID() },
      returnUrl: "http://app.test/r",
    });
    await generatePaymentInvoice({ db: env.t.db, teamId, paymentId: bought.payment.id, actorUserId: null });

    const price = await env.stripe.prices.create({ currency: "usd", unit_amount: 4900, recurring: { interval: "month" }, product_data: { name: "Pro" } });
    await env.stripe.subscriptions.create({ customer: customerId, items: [{ price: price.id }], default_payment_method: paymentMethodId });
    await env.delivered();
    const { invoices, nextCursor } = await listInvoices({ db: env.t.db, teamId, limit: 1 });
    expect(nextCursor).not.toBeNull();
    const rest = await listInvoices({ db: env.t.db, teamId, limit: 10, cursor: nextCursor });
    const all = [...invoices, ...rest.invoices];
    expect(all.map((i) => [i.source, i.status, i.amountCents])).toEqual([
      ["stripe", "paid", 4900n],
      ["creditdesk", "paid", 10000n],
    ]);
    expect(all[0]!.stripeInvoiceId).toMatch(/^in_/);
    expect(all[0]!.hostedUrl).toMatch(/\/invoices\/in_/);
    // Each says what it bills, in words: the subscription, and which way the payment came.
    expect(all.map((i) => i.purpose)).toEqual(["Subscription", "Buy Credit"]);
    expect(rest.nextCursor).toBeNull();
    await expect(listInvoices({ db: env.t.db, teamId, cursor: "nope" })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });

    // GET /api/v1/billing/invoices answers the seed's shape.
    const team = await env.t.db.team.findUniqueOrThrow({ where: { id: teamId }, include: { memberships: true } });
    const key = await makeKey(env.t.db, teamId, team.memberships[0]!.userId, "READ_ONLY");
    const res = await call(invoicesApi, { key: key.secret });
    expect(res.status).toBe(200);
    expect(res.json.invoices).toHaveLength(2);
    expect(res.json.invoices[0]).toMatchObject({
      invoice_id: all[0]!.stripeInvoiceId,
      amount_usd_cents: 4900,
      status: "paid",
      stripe_invoice_url: all[0]!.hostedUrl,
    });
    expect(res.json.invoices[0].period).toMatch(/^\d{4}-\d{2}$/);
    expect(res.json.invoices[1]).toMatchObject({
      invoice_id: all[1]!.id,
      number: all[1]!.number,
      amount_usd_cents: 10000,
      status: "paid",
      stripe_invoice_url: null,
      source: "creditdesk",
    });
    expect(res.json.invoices[1].paid_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect((await call(invoicesApi, { key: null })).status).toBe(401);
    expect((await call(invoicesApi, { key: key.secret, query: "?limit=0" })).status).toBe(400);
    // A Stripe invoice that bills a statement says so, not "Subscription".
    await env.t.db.invoice.create({
      data: {
        teamId,
        number: "ST-1",
        source: "STRIPE",
        status: "OPEN",
        amountCents: 200n,
        stripeInvoiceId: "in_statement_words",
        periodStart: new Date(),
        periodEnd: new Date(),
      },
    });
    await env.t.db.statement.create({
      data: { teamId, kind: "CREDIT_LINE", closesAt: new Date(), drawnCredits: 16_000n, amountCents: 200n, stripeInvoiceId: "in_statement_words" },
    });
    const withStatement = await listInvoices({ db: env.t.db, teamId, limit: 10 });
    expect(withStatement.invoices.find((i) => i.number === "ST-1")?.purpose).toBe("Credit line statement");
  });
});

describe("ledger CSV export", () => {
  it("streams a month's entries in order with correct totals, across chunk boundaries and shared timestamps", async () => {
    const { teamId } = await makeTeam(env.t.db);
    const p = await paidPayment(teamId, 10_000n); // 8,000,000 credits
    // One batch of 25 debits shares a created_at millisecond: keyset paging must not skip or repeat any.
    const events = Array.from({ length: 25 }, (_, i) => ({ idempotencyKey: `csv-${i}`, operation: i % 2 ? "add" : "matmul", quantity: 10 + i }));
    const usage = await recordUsage({ db: env.t.db, teamId, events });
    const spent = usage.reduce((s, r) => s + (r.credits ?? 0n), 0n);
    const today = new Date().toISOString().slice(0, 10);
    const range = parseExportRange({ from: today, to: today });
    for (const chunkSize of [7, 2000]) {
      const csv = await readAll(ledgerCsvStream({ db: env.t.db, teamId, from: range.from, toExclusive: range.toExclusive, chunkSize }));
      const rows = parseCsv(csv) as Record<string, string>[];
      const body = rows.slice(0, -1);
      const total = rows[rows.length - 1]!;
      expect(body).toHaveLength(26);
      expect(new Set(body.map((r) => r.entry_id)).size).toBe(26);
      expect(body[0]).toMatchObject({ kind: "TOPUP", credits: "8000000", payment_id: p.id, paid_usd: "100.00" });
      expect(body.slice(1).every((r) => r.kind === "USAGE" && BigInt(r.credits!) < 0n)).toBe(true);
      expect(body.map((r) => r.balance_after)).toEqual([...body.map((r) => r.balance_after)].sort((x, y) => Number(BigInt(y!) - BigInt(x!))));
      expect(total).toMatchObject({ date_utc: "TOTAL", entry_id: "26 entries", credits: String(8_000_000n - spent), paid_usd: "100.00" });
      expect(body.reduce((s, r) => s + BigInt(r.credits!), 0n)).toBe(8_000_000n - spent);
    }
    // Another month has nothing but the header and a zero total.
    const empty = await readAll(ledgerCsvStream({ db: env.t.db, teamId, ...toRange(parseExportRange({ from: "2024-01-01", to: "2024-01-31" })) }));
    expect(empty.trim().split("\n")).toEqual([expect.stringMatching(/^date_utc,entry_id,kind/), "TOTAL,0 entries,,credits in 0; credits out 0,,,0,,,0.00,,"]);
  });

  it("text cells that would be spreadsheet formulas are neutralised", async () => {
    const { teamId } = await makeTeam(env.t.db);
    await creditCredits({ db: env.t.db, teamId, amount: 5n, kind: "ADJUSTMENT", idempotencyKey: "f", description: '=HYPERLINK("http://evil")' });
    const today = new Date().toISOString().slice(0, 10);
    const csv = await readAll(ledgerCsvStream({ db: env.t.db, teamId, ...toRange(parseExportRange({ from: today, to: today })) }));
    const rows = parseCsv(csv) as Record<string, string>[];
    expect(rows[0]!.description).toBe('\'=HYPERLINK("http://evil")');
  });

  it("validates the date range", () => {
    const bad: [unknown, unknown, string][] = [
      ["2026-02-30", "2026-03-01", "from"],
      ["2026-3-1", "2026-03-01", "from"],
      ["2026-03-02", "2026-03-01", "to"],
      ["2019-01-01", "2026-01-01", "to"],
      [undefined, "2026-01-01", "from"],
      ["1999-12-31", "2000-01-01", "from"],
    ];
    for (const [from, to, field] of bad) {
      const err = (() => {
        try {
          parseExportRange({ from, to, now: new Date("2026-06-01T00:00:00Z") });
        } catch (e) {
          return e;
        }
      })();
      expect(err, `${String(from)}..${String(to)}`).toBeInstanceOf(BillingError);
      expect((err as BillingError).details?.field).toBe(field);
    }
    expect(parseExportRange({ from: "2026-04-01", to: "2026-04-30" })).toMatchObject({
      from: new Date("2026-04-01T00:00:00Z"),
      toExclusive: new Date("2026-05-01T00:00:00Z"),
    });
  });
});

function toRange(r: ReturnType<typeof parseExportRange>) {
  return { from: r.from, toExclusive: r.toExclusive };
}
