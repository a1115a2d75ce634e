// Drives the emulator with the real stripe SDK and checks webhooks with stripe.webhooks.constructEvent.
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "./index.js";

const SECRET = "whsec_test_emulator_suite";

interface Received {
  raw: string;
  status: number;
  event: Stripe.Event | null;
  verifyError?: string;
}

let emulator: Emulator;
let stripe: Stripe;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
let failNext = 0;

async function control<T = Record<string, unknown>>(path: string, body: unknown = {}, method = "POST"): Promise<T> {
  const res = await fetch(`${emulator.url}/_emulator/${path}`, {
    method,
    headers: { "Content-Type": "application/json" },
    body: method === "GET" ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`control ${path} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function waitFor<T>(fn: () => T | undefined | false, what: string, timeoutMs = 4000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = fn();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The error a Stripe call rejected with (fails the test if it resolved). */
async function rejection<E = Stripe.errors.StripeError>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (err) {
    return err as E;
  }
  throw new Error("expected the call to fail");
}

const delivered = (): Stripe.Event[] => received.filter((r) => r.status === 200 && r.event).map((r) => r.event as Stripe.Event);
const deliveredTypes = (): string[] => delivered().map((e) => e.type);

async function idle(): Promise<void> {
  await control("delivery/wait", { timeoutMs: 5000 });
}

async function paymentSession(extra: Partial<Stripe.Checkout.SessionCreateParams> = {}): Promise<Stripe.Checkout.Session> {
  return stripe.checkout.sessions.create({
    mode: "payment",
    line_items: [{ quantity: 1, price_data: { currency: "usd", unit_amount: 2500, product_data: { name: "2,500 credits" } } }],
    success_url: "http://localhost:3000/billing/top-up/return?session_id={CHECKOUT_SESSION_ID}",
    cancel_url: "http://localhost:3000/billing/top-up",
    metadata: { teamId: "team_1", credits: "2500" },
    client_reference_id: "team_1",
    ...extra,
  });
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const entry: Received = { raw, status: 200, event: null };
      try {
        entry.event = stripe.webhooks.constructEvent(raw, String(req.headers["stripe-signature"]), SECRET);
      } catch (err) {
        entry.verifyError = (err as Error).message;
      }
      if (failNext > 0) {
        failNext -= 1;
        entry.status = 500;
      }
      received.push(entry);
      res.writeHead(entry.status, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ received: entry.status === 200 }));
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/stripe/webhook`;
  emulator = await startEmulator({ port: 0, webhookUrl: receiverUrl, webhookSecret: SECRET, retryDelaysMs: [50, 100, 150, 200] });
  const u = new URL(emulator.url);
  stripe = new Stripe("sk_test_emulator", { host: u.hostname, port: Number(u.port), protocol: "http", maxNetworkRetries: 0 });
});

afterAll(async () => {
  await emulator?.stop();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
});

beforeEach(async () => {
  await control("reset");
  received.length = 0;
  failNext = 0;
});

describe("auth and errors", () => {
  it("rejects missing and non-test keys with 401s the SDK maps to StripeAuthenticationError", async () => {
    const u = new URL(emulator.url);
    const live = new Stripe("sk_live_nope", { host: u.hostname, port: Number(u.port), protocol: "http", maxNetworkRetries: 0 });
    await expect(live.customers.list()).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    const res = await fetch(`${emulator.url}/v1/customers`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe("invalid_request_error");
  });

  it("answers missing objects with 404 resource_missing and bad params with 400", async () => {
    const err = await stripe.customers.retrieve("cus_missing").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((err as Stripe.errors.StripeError).code).toBe("resource_missing");
    expect((err as Stripe.errors.StripeError).statusCode).toBe(404);
    const bad = await stripe.paymentIntents.create({ amount: 10, currency: "usd" }).catch((e: unknown) => e);
    expect((bad as Stripe.errors.StripeError).code).toBe("amount_too_small");
    expect((bad as Stripe.errors.StripeError).param).toBe("amount");
  });

  it("paginates lists newest first with limit and starting_after", async () => {
    for (let i = 0; i < 5; i++) await stripe.customers.create({ email: `c${i}@example.com`, metadata: { n: String(i) } });
    const page1 = await stripe.customers.list({ limit: 2 });
    expect(page1.object).toBe("list");
    expect(page1.has_more).toBe(true);
    expect(page1.data.map((c) => c.metadata.n)).toEqual(["4", "3"]);
    const page2 = await stripe.customers.list({ limit: 2, starting_after: page1.data[1]?.id });
    expect(page2.data.map((c) => c.metadata.n)).toEqual(["2", "1"]);
    const all: string[] = [];
    for await (const c of stripe.customers.list({ limit: 2 })) all.push(c.metadata.n ?? "");
    expect(all).toEqual(["4", "3", "2", "1", "0"]);
  });
});

describe("checkout in payment mode", () => {
  it("completes through the control API and delivers signed, verifiable webhooks", async () => {
    const session = await paymentSession({ invoice_creation: { enabled: true }, payment_intent_data: { metadata: { teamId: "team_1" } } });
    expect(session.id).toMatch(/^cs_test_/);
    expect(session.url).toBe(`${emulator.url}/c/pay/${session.id}`);
    expect(session.amount_total).toBe(2500);
    expect(session.status).toBe("open");
    expect(session.payment_intent).toBeNull();

    await control(`checkout_sessions/${session.id}/complete`, { outcome: "paid" });
    const completed = await waitFor(() => delivered().find((e) => e.type === "checkout.session.completed"), "checkout.session.completed");
    expect(received.every((r) => r.verifyError === undefined)).toBe(true);
    const obj = completed.data.object as Stripe.Checkout.Session;
    expect(obj.metadata).toEqual({ teamId: "team_1", credits: "2500" });
    expect(obj.client_reference_id).toBe("team_1");
    expect(obj.payment_status).toBe("paid");
    expect(obj.payment_intent).toMatch(/^pi_/);
    expect(completed.api_version).toBe(Stripe.API_VERSION);
    expect(completed.livemode).toBe(false);

    await idle();
    const types = deliveredTypes();
    expect(types.indexOf("payment_intent.succeeded")).toBeLessThan(types.indexOf("checkout.session.completed"));
    expect(types).toEqual(expect.arrayContaining(["charge.succeeded", "invoice.paid", "invoice.finalized"]));

    const full = await stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent.latest_charge", "line_items", "invoice"] });
    const pi = full.payment_intent as Stripe.PaymentIntent;
    expect(pi.status).toBe("succeeded");
    expect(pi.metadata).toEqual({ teamId: "team_1" });
    expect((pi.latest_charge as Stripe.Charge).amount).toBe(2500);
    expect(full.line_items?.data[0]?.description).toBe("2,500 credits");
    const invoice = full.invoice as Stripe.Invoice;
    expect(invoice.status).toBe("paid");
    expect(invoice.amount_paid).toBe(2500);
    expect(invoice.number).toBeTruthy();
    expect(invoice.hosted_invoice_url).toContain("/invoices/");
    const pdf = await fetch(invoice.invoice_pdf ?? "");
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect((await pdf.text()).startsWith("%PDF-1.4")).toBe(true);

    const items = await stripe.checkout.sessions.listLineItems(session.id);
    expect(items.data).toHaveLength(1);
  });

  it("validates obviously wrong input the way Stripe does", async () => {
    const noQty = await stripe.checkout.sessions
      .create({
        mode: "payment",
        success_url: "http://x.test/ok",
        line_items: [{ price_data: { currency: "usd", unit_amount: 500, product_data: { name: "x" } } }],
      })
      .catch((e: unknown) => e);
    expect((noQty as Stripe.errors.StripeError).param).toBe("line_items[0][quantity]");
    // Current API: allowed_payment_method_types filters out what the currency or mode cannot use.
    const filtered = await paymentSession({ allowed_payment_method_types: ["card", "naver_pay", "paypal"] });
    expect(filtered.payment_method_types).toEqual(["card", "paypal"]);
    expect(filtered.allowed_payment_method_types).toEqual(["card", "naver_pay", "paypal"]);
    const none = await rejection(paymentSession({ allowed_payment_method_types: ["naver_pay"] }));
    expect(none.param).toBe("allowed_payment_method_types");
    // Older API versions: an explicit payment_method_types list is validated strictly.
    const legacy = (types: string[], extra: Record<string, unknown> = {}): Promise<Stripe.Checkout.Session> =>
      paymentSession({ payment_method_types: types, ...extra } as never);
    expect((await rejection(legacy(["card", "naver_pay"]))).message).toContain("naver_pay supports the following currencies: krw");
    expect((await rejection(legacy(["wechat_pay"]))).param).toBe("payment_method_options[wechat_pay][client]");
    const ok = await legacy(["card", "paypal", "wechat_pay", "alipay"], { payment_method_options: { wechat_pay: { client: "web" } } });
    expect(ok.payment_method_types).toEqual(["card", "paypal", "wechat_pay", "alipay"]);
    const krwOk = await stripe.checkout.sessions.create({
      mode: "payment",
      allowed_payment_method_types: ["naver_pay", "kakao_pay"],
      line_items: [{ quantity: 1, price_data: { currency: "krw", unit_amount: 13000, product_data: { name: "credits" } } }],
      success_url: "http://x.test/ok",
    });
    expect(krwOk.currency).toBe("krw");
    expect(krwOk.payment_method_types).toEqual(["naver_pay", "kakao_pay"]);
    expect((await rejection(paymentSession({ success_url: "not a url" }))).code).toBe("url_invalid");
  });

  it("runs the hosted page: decline stays open with a message, 3-D Secure then success redirects", async () => {
    const session = await paymentSession();
    const html = await (await fetch(session.url ?? "")).text();
    for (const id of ["checkout-amount", "line-items", "payment-methods", "card-number", "pay-button", "cancel-link"]) expect(html).toContain(`id="${id}"`);
    expect(html).toContain("$25.00");
    expect(html).toContain('<label for="card-number">Card number</label>');

    const post = (path: string, form: Record<string, string>): Promise<Response> =>
      fetch(`${emulator.url}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form),
      });

    const declined = await post(`/c/pay/${session.id}`, { method: "card", action: "pay", card_number: "4000 0000 0000 0002", email: "a@example.com" });
    expect(declined.status).toBe(303);
    const errorPage = await (await fetch(new URL(declined.headers.get("location") ?? "", emulator.url))).text();
    expect(errorPage).toContain('id="payment-error"');
    expect(errorPage).toContain("Your card was declined.");
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");

    const challenged = await post(`/c/pay/${session.id}`, { method: "card", action: "pay", card_number: "4000002760003184" });
    expect(challenged.headers.get("location")).toBe(`/c/pay/${session.id}/3ds`);
    const tds = await (await fetch(`${emulator.url}/c/pay/${session.id}/3ds`)).text();
    expect(tds).toContain('id="three-d-secure-complete"');
    expect(tds).toContain('id="three-d-secure-fail"');
    const done = await post(`/c/pay/${session.id}/3ds`, { action: "complete" });
    expect(done.headers.get("location")).toBe(`http://localhost:3000/billing/top-up/return?session_id=${session.id}`);
    const after = await stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent.latest_charge"] });
    expect(after.payment_status).toBe("paid");
    const charge = (after.payment_intent as Stripe.PaymentIntent).latest_charge as Stripe.Charge;
    expect(charge.payment_method_details?.card?.three_d_secure?.result).toBe("authenticated");
    await idle();
    expect(deliveredTypes()).toEqual(expect.arrayContaining(["payment_intent.payment_failed", "payment_intent.requires_action", "checkout.session.completed"]));
  });

  it("serves embedded checkout: client_secret + return_url, the iframe page and the Stripe.js stand-in", async () => {
    const missing = await stripe.checkout.sessions
      .create({ mode: "payment", ui_mode: "embedded_page", line_items: [{ quantity: 1, price: (await oneTimePrice()).id }] })
      .catch((e: unknown) => e);
    expect((missing as Stripe.errors.StripeError).param).toBe("return_url");
    const session = await stripe.checkout.sessions.create({
      mode: "payment",
      ui_mode: "embedded_page",
      line_items: [{ quantity: 2, price: (await oneTimePrice()).id }],
      return_url: "http://localhost:3000/return?session_id={CHECKOUT_SESSION_ID}",
    });
    expect(session.url).toBeNull();
    expect(session.client_secret).toMatch(new RegExp(`^${session.id}_secret_`));
    const html = await (await fetch(`${emulator.url}/c/embedded/${session.client_secret}`)).text();
    expect(html).toContain('id="pay-button"');
    expect(html).not.toContain('id="cancel-link"');
    const js = await (await fetch(`${emulator.url}/stripe-js/stripe.js`)).text();
    expect(js).toContain("createEmbeddedCheckoutPage");
    expect(js).toContain(JSON.stringify(emulator.url));
    await control(`checkout_sessions/${session.id}/complete`, { outcome: "paid" });
    const donePage = await (await fetch(`${emulator.url}/c/embedded/${session.client_secret}`)).text();
    expect(donePage).toContain(`http://localhost:3000/return?session_id=${session.id}`);
    expect(donePage).toContain("checkout_complete");
  });

  it("leaves a delayed method pending, then settles it later (succeeded and failed)", async () => {
    const types: Stripe.Checkout.SessionCreateParams.AllowedPaymentMethodType[] = ["card", "us_bank_account"];
    const a = await paymentSession({ allowed_payment_method_types: types });
    const page = await (await fetch(`${a.url}?method=us_bank_account`)).text();
    expect(page).toContain('id="leave-pending-us_bank_account"');
    await control(`checkout_sessions/${a.id}/complete`, { outcome: "pending", payment_method_type: "us_bank_account" });
    const completed = await waitFor(() => delivered().find((e) => e.type === "checkout.session.completed"), "completed");
    expect((completed.data.object as Stripe.Checkout.Session).payment_status).toBe("unpaid");
    const pi = await stripe.paymentIntents.retrieve(String((completed.data.object as Stripe.Checkout.Session).payment_intent));
    expect(pi.status).toBe("processing");
    await control(`payment_intents/${pi.id}/settle`, { outcome: "succeeded" });
    const ok = await waitFor(() => delivered().find((e) => e.type === "checkout.session.async_payment_succeeded"), "async succeeded");
    expect((ok.data.object as Stripe.Checkout.Session).payment_status).toBe("paid");

    const b = await paymentSession({ allowed_payment_method_types: types });
    await control(`checkout_sessions/${b.id}/complete`, { outcome: "pending", payment_method_type: "us_bank_account" });
    const bPi = (await stripe.checkout.sessions.retrieve(b.id)).payment_intent as string;
    await control(`payment_intents/${bPi}/settle`, { outcome: "failed" });
    await waitFor(() => delivered().find((e) => e.type === "checkout.session.async_payment_failed"), "async failed");
    expect((await stripe.paymentIntents.retrieve(bPi)).status).toBe("requires_payment_method");
  });

  it("expires sessions by API and by the clock", async () => {
    const a = await paymentSession();
    const expired = await stripe.checkout.sessions.expire(a.id);
    expect(expired.status).toBe("expired");
    await expect(stripe.checkout.sessions.expire(a.id)).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    const b = await paymentSession({ expires_at: Math.floor(Date.now() / 1000) + 3600 });
    await control("clock/advance", { seconds: 3601 });
    expect((await stripe.checkout.sessions.retrieve(b.id)).status).toBe("expired");
    // After the clock moved, an expires_at computed from the app's own clock still gives the full lifetime.
    const c = await paymentSession({ expires_at: Math.floor(Date.now() / 1000) + 1800 });
    expect((await stripe.checkout.sessions.retrieve(c.id)).status).toBe("open");
    await control("clock/advance", { seconds: 1801 });
    expect((await stripe.checkout.sessions.retrieve(c.id)).status).toBe("expired");
    await idle();
    expect(deliveredTypes().filter((t) => t === "checkout.session.expired")).toHaveLength(3);
    const listed = await stripe.checkout.sessions.list({ status: "expired" });
    expect(listed.data).toHaveLength(3);
  });
});

async function oneTimePrice(): Promise<Stripe.Price> {
  return stripe.prices.create({ currency: "usd", unit_amount: 1000, product_data: { name: "Credit pack" } });
}

async function customerWithCard(token = "pm_card_visa"): Promise<{ customer: Stripe.Customer; pm: Stripe.PaymentMethod }> {
  const customer = await stripe.customers.create({ email: "owner@example.com", name: "Team Owner", metadata: { teamId: "team_1" } });
  const pm = await stripe.paymentMethods.attach(token, { customer: customer.id });
  await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
  return { customer, pm };
}

describe("saved cards and off-session PaymentIntents", () => {
  it("charges a saved card off-session, with metadata and a charge", async () => {
    const { customer, pm } = await customerWithCard();
    const methods = await stripe.customers.listPaymentMethods(customer.id);
    expect(methods.data.map((m) => m.id)).toEqual([pm.id]);
    const pi = await stripe.paymentIntents.create({
      amount: 5000,
      currency: "usd",
      customer: customer.id,
      payment_method: pm.id,
      off_session: true,
      confirm: true,
      metadata: { kind: "auto_top_up" },
    });
    expect(pi.status).toBe("succeeded");
    expect(pi.latest_charge).toMatch(/^ch_/);
    const charge = await stripe.charges.retrieve(String(pi.latest_charge));
    expect(charge.metadata).toEqual({ kind: "auto_top_up" });
    expect(charge.payment_method_details?.card?.last4).toBe("4242");
  });

  it("declines with StripeCardError and keeps the failed PaymentIntent", async () => {
    const { customer, pm } = await customerWithCard("pm_card_chargeDeclined");
    const err = await stripe.paymentIntents
      .create({ amount: 5000, currency: "usd", customer: customer.id, payment_method: pm.id, off_session: true, confirm: true })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    const cardErr = err as Stripe.errors.StripeCardError;
    expect(cardErr.code).toBe("card_declined");
    expect(cardErr.decline_code).toBe("generic_decline");
    expect(cardErr.statusCode).toBe(402);
    expect(cardErr.payment_intent?.status).toBe("requires_payment_method");
    expect(cardErr.payment_intent?.last_payment_error?.decline_code).toBe("generic_decline");
    const insufficient = await rejection<Stripe.errors.StripeCardError>(
      stripe.paymentIntents.create({ amount: 5000, currency: "usd", payment_method: "pm_card_insufficientFunds", confirm: true }),
    );
    expect(insufficient.decline_code).toBe("insufficient_funds");
    await idle();
    expect(deliveredTypes()).toEqual(expect.arrayContaining(["charge.failed", "payment_intent.payment_failed"]));
  });

  it("needs authentication off-session: 402 authentication_required, requires_action, then 3-D Secure completes it", async () => {
    const { customer, pm } = await customerWithCard("pm_card_authenticationRequired");
    const err = (await stripe.paymentIntents
      .create({ amount: 5000, currency: "usd", customer: customer.id, payment_method: pm.id, off_session: true, confirm: true })
      .catch((e: unknown) => e)) as Stripe.errors.StripeCardError;
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(err.code).toBe("authentication_required");
    const pi = err.payment_intent as Stripe.PaymentIntent;
    expect(pi.status).toBe("requires_action");
    expect(pi.next_action?.redirect_to_url?.url).toBe(`${emulator.url}/authenticate/${pi.id}`);
    const page = await (await fetch(pi.next_action?.redirect_to_url?.url ?? "")).text();
    expect(page).toContain('id="three-d-secure-complete"');
    await control(`payment_intents/${pi.id}/authenticate`, { outcome: "succeeded" });
    expect((await stripe.paymentIntents.retrieve(pi.id)).status).toBe("succeeded");
  });

  it("saves a card with a SetupIntent", async () => {
    const customer = await stripe.customers.create({ email: "x@example.com" });
    const seti = await stripe.setupIntents.create({ customer: customer.id, payment_method: "pm_card_visa", confirm: true, usage: "off_session" });
    expect(seti.id).toMatch(/^seti_/);
    expect(seti.status).toBe("succeeded");
    const pm = await stripe.paymentMethods.retrieve(String(seti.payment_method));
    expect(pm.customer).toBe(customer.id);
    await stripe.paymentMethods.detach(pm.id);
    expect((await stripe.customers.listPaymentMethods(customer.id)).data).toHaveLength(0);
  });

  it("honours Idempotency-Key: same body replays, different body is an idempotency error", async () => {
    const { customer, pm } = await customerWithCard();
    const params = { amount: 1500, currency: "usd", customer: customer.id, payment_method: pm.id, off_session: true, confirm: true };
    const first = await stripe.paymentIntents.create(params, { idempotencyKey: "topup-team_1-42" });
    const again = await stripe.paymentIntents.create(params, { idempotencyKey: "topup-team_1-42" });
    expect(again.id).toBe(first.id);
    expect((await stripe.paymentIntents.list({ customer: customer.id })).data).toHaveLength(1);
    const other = await stripe.paymentIntents.create({ ...params, amount: 1600 }, { idempotencyKey: "topup-team_1-42" }).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);

    const declined = await customerWithCard("pm_card_chargeDeclined");
    const dParams = { amount: 1500, currency: "usd", customer: declined.customer.id, payment_method: declined.pm.id, off_session: true, confirm: true };
    const e1 = (await stripe.paymentIntents.create(dParams, { idempotencyKey: "decline-1" }).catch((e: unknown) => e)) as Stripe.errors.StripeCardError;
    const e2 = (await stripe.paymentIntents.create(dParams, { idempotencyKey: "decline-1" }).catch((e: unknown) => e)) as Stripe.errors.StripeCardError;
    expect(e2.payment_intent?.id).toBe(e1.payment_intent?.id);
    expect((await stripe.charges.list({ customer: declined.customer.id })).data).toHaveLength(1);
  });
});

describe("refunds and disputes", () => {
  async function paidCharge(): Promise<Stripe.Charge> {
    const pi = await stripe.paymentIntents.create({ amount: 3000, currency: "usd", payment_method: "pm_card_visa", confirm: true, metadata: { teamId: "t" } });
    return stripe.charges.retrieve(String(pi.latest_charge));
  }

  it("refunds partially then fully and emits refund.created / charge.refunded", async () => {
    const charge = await paidCharge();
    const partial = await stripe.refunds.create({ payment_intent: String(charge.payment_intent), amount: 1000, reason: "requested_by_customer" });
    expect(partial.id).toMatch(/^re_/);
    expect(partial.status).toBe("succeeded");
    let updated = await stripe.charges.retrieve(charge.id);
    expect(updated.amount_refunded).toBe(1000);
    expect(updated.refunded).toBe(false);
    const tooMuch = await rejection(stripe.refunds.create({ charge: charge.id, amount: 5000 }));
    expect(tooMuch.code).toBe("amount_too_large");
    await stripe.refunds.create({ charge: charge.id });
    updated = await stripe.charges.retrieve(charge.id);
    expect(updated.refunded).toBe(true);
    expect(updated.amount_refunded).toBe(3000);
    const again = await rejection(stripe.refunds.create({ charge: charge.id }));
    expect(again.code).toBe("charge_already_refunded");
    expect((await stripe.refunds.list({ charge: charge.id })).data).toHaveLength(2);
    const refunded = await waitFor(
      () => delivered().filter((e) => e.type === "charge.refunded").length === 2 && delivered().filter((e) => e.type === "charge.refunded"),
      "charge.refunded x2",
    );
    const first = refunded[0] as Stripe.ChargeRefundedEvent;
    expect(first.data.object.amount_refunded).toBe(1000);
    expect(first.data.previous_attributes).toMatchObject({ amount_refunded: 0 });
    expect(deliveredTypes().filter((t) => t === "refund.created")).toHaveLength(2);
  });

  it("opens and closes disputes through the control API", async () => {
    const charge = await paidCharge();
    const dispute = await control<Stripe.Dispute>(`charges/${charge.id}/dispute`, { reason: "fraudulent" });
    expect(dispute.id).toMatch(/^du_/);
    expect(dispute.amount).toBe(3000);
    expect((await stripe.charges.retrieve(charge.id)).disputed).toBe(true);
    const blocked = await rejection(stripe.refunds.create({ charge: charge.id }));
    expect(blocked.code).toBe("charge_disputed");
    await control(`disputes/${dispute.id}/close`, { status: "lost" });
    expect((await stripe.disputes.retrieve(dispute.id)).status).toBe("lost");
    expect((await stripe.disputes.list({ charge: charge.id })).data).toHaveLength(1);
    const closed = await waitFor(() => delivered().find((e) => e.type === "charge.dispute.closed"), "dispute closed");
    expect((closed.data.object as Stripe.Dispute).status).toBe("lost");
    expect(deliveredTypes()).toContain("charge.dispute.created");
  });
});

describe("subscriptions, invoices and the portal", () => {
  async function plans(): Promise<{ pro: Stripe.Price; max: Stripe.Price }> {
    const product = await stripe.products.create({ name: "Pro" });
    const pro = await stripe.prices.create({
      product: product.id,
      currency: "usd",
      unit_amount: 2000,
      recurring: { interval: "month" },
      lookup_key: "pro_monthly",
    });
    const maxProduct = await stripe.products.create({ name: "Max" });
    const max = await stripe.prices.create({
      product: maxProduct.id,
      currency: "usd",
      unit_amount: 5000,
      recurring: { interval: "month" },
      lookup_key: "max_monthly",
    });
    return { pro, max };
  }

  it("finds prices by lookup key", async () => {
    const { pro } = await plans();
    const found = await stripe.prices.list({ lookup_keys: ["pro_monthly"], active: true, expand: ["data.product"] });
    expect(found.data.map((p) => p.id)).toEqual([pro.id]);
    expect((found.data[0]?.product as Stripe.Product).name).toBe("Pro");
    const dup = await stripe.prices
      .create({ currency: "usd", unit_amount: 1, product: String(pro.product), lookup_key: "pro_monthly" })
      .catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });

  it("subscribes through Checkout and renews on clock advance with a paid invoice", async () => {
    const { pro } = await plans();
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      line_items: [{ price: pro.id, quantity: 1 }],
      success_url: "http://localhost:3000/billing?session_id={CHECKOUT_SESSION_ID}",
      customer_email: "owner@example.com",
      subscription_data: { metadata: { teamId: "team_1" } },
    });
    const bad = await stripe.checkout.sessions
      .create({
        mode: "subscription",
        line_items: [{ price: pro.id, quantity: 1 }],
        success_url: "http://x.test",
        allowed_payment_method_types: ["wechat_pay"],
      })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    await control(`checkout_sessions/${session.id}/complete`, { outcome: "paid" });
    const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ["subscription", "invoice"] });
    const sub = done.subscription as Stripe.Subscription;
    expect(sub.status).toBe("active");
    expect(sub.metadata).toEqual({ teamId: "team_1" });
    expect(sub.items.data[0]?.current_period_end).toBeGreaterThan(sub.items.data[0]?.current_period_start ?? 0);
    expect((done.invoice as Stripe.Invoice).status).toBe("paid");
    expect((done.invoice as Stripe.Invoice).billing_reason).toBe("subscription_create");

    const periodEnd = sub.items.data[0]?.current_period_end ?? 0;
    await control("clock/advance", { seconds: 32 * 86400 });
    const invoices = await stripe.invoices.list({ subscription: sub.id });
    expect(invoices.data).toHaveLength(2);
    const renewal = invoices.data[0] as Stripe.Invoice;
    expect(renewal.billing_reason).toBe("subscription_cycle");
    expect(renewal.status).toBe("paid");
    expect(renewal.amount_paid).toBe(2000);
    expect(renewal.status_transitions.paid_at).toBeTruthy();
    expect(renewal.lines.data[0]?.period.start).toBe(periodEnd);
    const renewed = await stripe.subscriptions.retrieve(sub.id);
    expect(renewed.items.data[0]?.current_period_start).toBe(periodEnd);
    expect(renewed.latest_invoice).toBe(renewal.id);
    await idle();
    const paid = delivered().filter((e) => e.type === "invoice.paid");
    expect(paid).toHaveLength(2);
    expect(deliveredTypes()).toEqual(expect.arrayContaining(["customer.subscription.created", "customer.subscription.updated", "invoice.created"]));
  });

  it("goes past_due when the renewal charge fails, prorates plan changes, cancels at period end", async () => {
    const { pro, max } = await plans();
    const { customer } = await customerWithCard("pm_card_chargeCustomerFail");
    const visa = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: pro.id }], default_payment_method: visa.id });
    expect(sub.status).toBe("active");

    const upgraded = await stripe.subscriptions.update(sub.id, {
      items: [{ id: sub.items.data[0]?.id ?? "", price: max.id }],
      proration_behavior: "always_invoice",
    });
    expect(upgraded.items.data[0]?.price.id).toBe(max.id);
    const proration = await stripe.invoices.retrieve(String(upgraded.latest_invoice));
    expect(proration.billing_reason).toBe("subscription_update");
    expect(proration.status).toBe("paid");
    expect(proration.amount_paid).toBeGreaterThan(2900);
    expect(proration.amount_paid).toBeLessThanOrEqual(3000);

    await stripe.subscriptions.update(sub.id, { default_payment_method: "" as unknown as string });
    await control("clock/advance", { seconds: 32 * 86400 });
    const pastDue = await stripe.subscriptions.retrieve(sub.id);
    expect(pastDue.status).toBe("past_due");
    const open = await stripe.invoices.list({ subscription: sub.id, status: "open" });
    expect(open.data).toHaveLength(1);
    expect(open.data[0]?.attempt_count).toBe(1);
    const paidNow = await stripe.invoices.pay(open.data[0]?.id ?? "", { payment_method: visa.id });
    expect(paidNow.status).toBe("paid");
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe("active");

    const scheduled = await stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });
    expect(scheduled.cancel_at_period_end).toBe(true);
    await control("clock/advance", { seconds: 32 * 86400 });
    const ended = await stripe.subscriptions.retrieve(sub.id);
    expect(ended.status).toBe("canceled");
    expect((await stripe.subscriptions.list({ customer: customer.id })).data).toHaveLength(0);
    await idle();
    expect(deliveredTypes()).toEqual(expect.arrayContaining(["invoice.payment_failed", "customer.subscription.deleted"]));
  });

  it("creates a portal session whose page cancels, switches plan and updates the card", async () => {
    const { pro, max } = await plans();
    const { customer } = await customerWithCard();
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: pro.id }] });
    const portal = await stripe.billingPortal.sessions.create({ customer: customer.id, return_url: "http://localhost:3000/billing" });
    expect(portal.id).toMatch(/^bps_/);
    const html = await (await fetch(portal.url)).text();
    for (const id of [
      `subscription-${sub.id}`,
      `cancel-subscription-${sub.id}`,
      `price-option-${max.id}`,
      `update-plan-${sub.id}`,
      "new-card",
      "update-payment-method",
      "return-link",
    ]) {
      expect(html).toContain(`id="${id}"`);
    }
    expect(html).toContain('href="http://localhost:3000/billing"');
    const base = new URL(portal.url).pathname;
    const post = (path: string, form: Record<string, string>): Promise<Response> =>
      fetch(`${emulator.url}${base}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form),
      });

    expect((await post("/update-plan", { subscription: sub.id, price: max.id })).status).toBe(303);
    expect((await stripe.subscriptions.retrieve(sub.id)).items.data[0]?.price.id).toBe(max.id);
    await post("/payment-method", { card: "5555555555554444" });
    const cust = await stripe.customers.retrieve(customer.id, { expand: ["invoice_settings.default_payment_method"] });
    expect(((cust as Stripe.Customer).invoice_settings.default_payment_method as Stripe.PaymentMethod).card?.last4).toBe("4444");
    await post("/cancel", { subscription: sub.id });
    expect((await stripe.subscriptions.retrieve(sub.id)).cancel_at_period_end).toBe(true);
    const after = await (await fetch(`${portal.url}?notice=cancel_scheduled`)).text();
    expect(after).toContain(`id="renew-subscription-${sub.id}"`);

    await control("portal", { enabled: false });
    await expect(stripe.billingPortal.sessions.create({ customer: customer.id })).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });
});

describe("webhook delivery", () => {
  it("retries a failing endpoint with backoff and records every attempt", async () => {
    failNext = 2;
    const customer = await stripe.customers.create({ email: "retry@example.com" });
    const event = await waitFor(() => delivered().find((e) => e.type === "customer.created"), "retried delivery", 5000);
    expect((event.data.object as Stripe.Customer).id).toBe(customer.id);
    expect(received.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(new Set(received.map((r) => r.event?.id)).size).toBe(1);
    const log = await control<{ data: Array<{ id: string; state: string; deliveries: Array<{ status: number; kind: string }> }> }>("events", {}, "GET");
    const record = log.data.find((e) => e.id === event.id);
    expect(record?.state).toBe("delivered");
    expect(record?.deliveries.map((d) => `${d.kind}:${d.status}`)).toEqual(["initial:500", "retry:500", "retry:200"]);
    const viaApi = await stripe.events.retrieve(event.id);
    expect(viaApi.type).toBe("customer.created");
  });

  it("delivers duplicates, reverse order, held-then-flushed, and concurrent redeliveries on request", async () => {
    await control("delivery", { mode: "duplicate" });
    await stripe.customers.create({ email: "dup@example.com" });
    await idle();
    expect(delivered().map((e) => e.type)).toEqual(["customer.created", "customer.created"]);
    expect(delivered()[0]?.id).toBe(delivered()[1]?.id);

    received.length = 0;
    await control("delivery", { mode: "reverse" });
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: "usd", payment_method: "pm_card_visa", confirm: true });
    await idle();
    expect(deliveredTypes()).toEqual(["payment_intent.succeeded", "charge.succeeded", "payment_intent.created"]);

    received.length = 0;
    await control("delivery", { mode: "hold" });
    await stripe.refunds.create({ payment_intent: pi.id });
    await new Promise((r) => setTimeout(r, 50));
    expect(received).toHaveLength(0);
    const flushed = await control<{ delivered: string[] }>("delivery/flush", { order: "reverse" });
    expect(flushed.delivered).toHaveLength(2);
    expect(deliveredTypes()).toEqual(["charge.refunded", "refund.created"]);

    received.length = 0;
    await control("delivery", { mode: "normal" });
    const eventId = flushed.delivered[0] ?? "";
    const redelivered = await control<{ attempts: unknown[] }>(`events/${eventId}/redeliver`, { times: 3, concurrent: true });
    expect(redelivered.attempts).toHaveLength(3);
    expect(delivered().map((e) => e.id)).toEqual([eventId, eventId, eventId]);
    expect(received.every((r) => r.verifyError === undefined)).toBe(true);
  });

  it("signs like Stripe: a tampered body or wrong secret fails constructEvent", async () => {
    await stripe.customers.create({ email: "sig@example.com" });
    const entry = await waitFor(() => received[0], "delivery");
    const header = stripe.webhooks.generateTestHeaderString({ payload: entry.raw, secret: SECRET });
    expect(() => stripe.webhooks.constructEvent(entry.raw, header, SECRET)).not.toThrow();
    expect(() => stripe.webhooks.constructEvent(entry.raw.replace("sig@", "sog@"), header, SECRET)).toThrow();
    expect(() => stripe.webhooks.constructEvent(entry.raw, header, "whsec_other")).toThrow();
    const event = JSON.parse(entry.raw) as Stripe.Event;
    expect(event).toMatchObject({ object: "event", livemode: false, pending_webhooks: 1, type: "customer.created" });
    expect(event.request?.id).toMatch(/^req_/);
  });
});

const FIXTURES = new URL("../../shared/reference/stripe-fixtures3.json", import.meta.url);

describe.skipIf(!existsSync(FIXTURES))("shape against Stripe fixtures (skipped where ../shared/reference is absent)", () => {
  it("has every top-level field of Stripe’s published example objects", async () => {
    const fixtures = (JSON.parse(readFileSync(FIXTURES, "utf8")) as { resources: Record<string, Record<string, unknown>> }).resources;
    const session = await paymentSession({ invoice_creation: { enabled: true } });
    await control(`checkout_sessions/${session.id}/complete`, { outcome: "paid" });
    const { pro } = {
      pro: await stripe.prices.create({ currency: "usd", unit_amount: 2000, recurring: { interval: "month" }, product_data: { name: "Pro" } }),
    };
    const { customer } = await customerWithCard();
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: pro.id }] });
    const full = await stripe.checkout.sessions.retrieve(session.id);
    const pi = await stripe.paymentIntents.retrieve(String(full.payment_intent));
    const refund = await stripe.refunds.create({ payment_intent: pi.id, amount: 100 });
    const ours: Record<string, unknown> = {
      "checkout.session": full,
      payment_intent: pi,
      charge: await stripe.charges.retrieve(String(pi.latest_charge)),
      refund,
      customer: await stripe.customers.retrieve(customer.id),
      payment_method: await stripe.paymentMethods.retrieve(
        String(customer.invoice_settings?.default_payment_method ?? (await stripe.customers.listPaymentMethods(customer.id)).data[0]?.id),
      ),
      price: pro,
      product: await stripe.products.retrieve(String(pro.product)),
      subscription: sub,
      invoice: await stripe.invoices.retrieve(String(full.invoice)),
      event: (await stripe.events.list({ limit: 1 })).data[0],
      "billing_portal.session": await stripe.billingPortal.sessions.create({ customer: customer.id }),
    };
    // charge.refunds is only returned when expanded since API 2022-11-15.
    const allowedMissing = new Set(["refunds"]);
    const missing: string[] = [];
    for (const [name, obj] of Object.entries(ours)) {
      const fixture = fixtures[name];
      expect(fixture, name).toBeTruthy();
      expect((obj as { object: string }).object).toBe(name);
      for (const k of Object.keys(fixture ?? {})) if (!(k in (obj as object)) && !allowedMissing.has(k)) missing.push(`${name}.${k}`);
    }
    expect(missing).toEqual([]);
  });
});

describe("plan changes: invoice previews, updates with proration, cancel and reactivate", () => {
  async function prices(): Promise<{ pro: Stripe.Price; scale: Stripe.Price; scaleAnnual: Stripe.Price }> {
    const pro = await stripe.prices.create({ currency: "usd", unit_amount: 2000, recurring: { interval: "month" }, product_data: { name: "Pro" } });
    const scaleProduct = await stripe.products.create({ name: "Scale" });
    const scale = await stripe.prices.create({ currency: "usd", unit_amount: 5000, recurring: { interval: "month" }, product: scaleProduct.id });
    const scaleAnnual = await stripe.prices.create({ currency: "usd", unit_amount: 49800, recurring: { interval: "year" }, product: scaleProduct.id });
    return { pro, scale, scaleAnnual };
  }

  async function subscribed(
    token = "pm_card_visa",
  ): Promise<{ customer: Stripe.Customer; sub: Stripe.Subscription; item: string } & Awaited<ReturnType<typeof prices>>> {
    const p = await prices();
    const { customer } = await customerWithCard(token);
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: p.pro.id }] });
    return { ...p, customer, sub, item: sub.items.data[0]?.id ?? "" };
  }

  const span = (sub: Stripe.Subscription): { start: number; end: number } => ({
    start: sub.items.data[0]?.current_period_start ?? 0,
    end: sub.items.data[0]?.current_period_end ?? 0,
  });

  it("previews an upgrade exactly: half the period left → −$10.00 unused Pro, +$25.00 remaining Scale, $15.00 due now", async () => {
    const { customer, sub, item, scale } = await subscribed();
    const { start, end } = span(sub);
    const half = start + (end - start) / 2;
    const preview = await stripe.invoices.createPreview({
      customer: customer.id,
      subscription: sub.id,
      subscription_details: { items: [{ id: item, price: scale.id }], proration_behavior: "always_invoice", proration_date: half },
    });
    expect(preview.object).toBe("invoice");
    expect(preview.id).toMatch(/^upcoming_in_/);
    expect(preview.status).toBe("draft");
    expect(preview.billing_reason).toBe("subscription_update");
    expect(preview.customer).toBe(customer.id);
    expect(preview.parent?.subscription_details?.subscription).toBe(sub.id);
    expect(preview.amount_due).toBe(1500);
    expect(preview.total).toBe(1500);
    expect(preview.lines.data.map((l) => l.amount)).toEqual([-1000, 2500]);
    for (const line of preview.lines.data) {
      expect(line.object).toBe("line_item");
      expect(line.parent?.type).toBe("subscription_item_details");
      expect(line.parent?.subscription_item_details?.proration).toBe(true);
      expect(line.parent?.subscription_item_details?.subscription_item).toBe(item);
      expect(line.period).toEqual({ start: half, end });
    }
    expect(preview.lines.data[0]?.description).toMatch(/^Unused time on 1 × Pro after /);
    expect(preview.lines.data[1]?.description).toMatch(/^Remaining time on 1 × Scale after /);
    expect(preview.lines.data[1]?.pricing?.price_details?.price).toBe(scale.id);

    // The renewal after the change: the new price for the next period, nothing prorated.
    const renewal = await stripe.invoices.createPreview({
      customer: customer.id,
      subscription: sub.id,
      subscription_details: { items: [{ id: item, price: scale.id }], proration_behavior: "none" },
    });
    expect(renewal.billing_reason).toBe("subscription_cycle");
    expect(renewal.amount_due).toBe(5000);
    expect(renewal.lines.data[0]?.period.start).toBe(end);
    expect(renewal.lines.data[0]?.parent?.subscription_item_details?.proration).toBe(false);

    // create_prorations: the prorations ride on the next invoice with the new period.
    const next = await stripe.invoices.createPreview({
      customer: customer.id,
      subscription: sub.id,
      subscription_details: { items: [{ id: item, price: scale.id }], proration_behavior: "create_prorations", proration_date: half },
    });
    expect(next.lines.data.map((l) => l.amount)).toEqual([-1000, 2500, 5000]);
    expect(next.amount_due).toBe(6500);

    // Nothing changed: no invoice, no event, same subscription.
    expect((await stripe.invoices.list({ subscription: sub.id })).data).toHaveLength(1);
    expect((await stripe.subscriptions.retrieve(sub.id)).items.data[0]?.price.id).toBe(sub.items.data[0]?.price.id);
  });

  it("rounds each proration line to the cent from the seconds left (one day into the period)", async () => {
    const { customer, sub, item, scale } = await subscribed();
    const { start, end } = span(sub);
    const at = start + 86400;
    const left = end - at;
    const total = end - start;
    const preview = await stripe.invoices.createPreview({
      customer: customer.id,
      subscription: sub.id,
      subscription_details: { items: [{ id: item, price: scale.id }], proration_behavior: "always_invoice", proration_date: at },
    });
    const credit = -Math.round((2000 * left) / total);
    const debit = Math.round((5000 * left) / total);
    expect(preview.lines.data.map((l) => l.amount)).toEqual([credit, debit]);
    expect(preview.amount_due).toBe(credit + debit);
    for (const l of preview.lines.data) expect(Number.isInteger(l.amount)).toBe(true);
  });

  it("bills an always_invoice upgrade at once at the previewed amount, with Stripe's events in order", async () => {
    const { customer, sub, item, scale } = await subscribed();
    const { start, end } = span(sub);
    const half = start + (end - start) / 2;
    const preview = await stripe.invoices.createPreview({
      customer: customer.id,
      subscription: sub.id,
      subscription_details: { items: [{ id: item, price: scale.id }], proration_behavior: "always_invoice", proration_date: half },
    });
    await idle();
    received.length = 0;
    const updated = await stripe.subscriptions.update(sub.id, {
      items: [{ id: item, price: scale.id }],
      proration_behavior: "always_invoice",
      proration_date: half,
    });
    expect(updated.items.data[0]?.price.id).toBe(scale.id);
    expect(updated.status).toBe("active");
    const invoice = await stripe.invoices.retrieve(String(updated.latest_invoice));
    expect(invoice.status).toBe("paid");
    expect(invoice.billing_reason).toBe("subscription_update");
    expect(invoice.amount_paid).toBe(preview.amount_due);
    expect(invoice.lines.data.map((l) => l.amount)).toEqual(preview.lines.data.map((l) => l.amount));
    await idle();
    const types = deliveredTypes();
    const order = ["invoice.created", "invoice.finalized", "invoice.paid", "invoice.payment_succeeded", "customer.subscription.updated"];
    const positions = order.map((t) => types.indexOf(t));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions.slice(0, 4)).toEqual([...positions.slice(0, 4)].sort((a, b) => a - b));
    const subUpdated = delivered().find((e) => e.type === "customer.subscription.updated");
    const prev = subUpdated?.data.previous_attributes as { items?: { data: { price: { id: string } }[] } } | undefined;
    expect(prev?.items?.data[0]?.price.id).toBe(sub.items.data[0]?.price.id);
    expect((subUpdated?.data.object as Stripe.Subscription).items.data[0]?.price.id).toBe(scale.id);
  });

  it("fails an always_invoice upgrade on a declining card: invoice open, payment_failed, subscription past_due", async () => {
    const { customer, sub, item, scale } = await subscribed("pm_card_chargeCustomerFail");
    // The first invoice was charged with the same card; it declines as well, so give the subscription a good start.
    expect(sub.status).toBe("incomplete");
    const visa = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    await stripe.invoices.pay(String(sub.latest_invoice), { payment_method: visa.id });
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe("active");
    await idle();
    received.length = 0;
    const updated = await stripe.subscriptions.update(sub.id, { items: [{ id: item, price: scale.id }], proration_behavior: "always_invoice" });
    expect(updated.status).toBe("past_due");
    const invoice = await stripe.invoices.retrieve(String(updated.latest_invoice));
    expect(invoice.status).toBe("open");
    expect(invoice.attempt_count).toBe(1);
    await idle();
    expect(deliveredTypes()).toEqual(
      expect.arrayContaining(["invoice.created", "invoice.finalized", "invoice.payment_failed", "customer.subscription.updated"]),
    );
  });

  it("switches monthly → annual: a new cycle from now, unused month credited, the year billed at once", async () => {
    const { customer, sub, item, scaleAnnual } = await subscribed();
    const { start, end } = span(sub);
    const half = start + (end - start) / 2;
    const preview = await stripe.invoices.createPreview({
      customer: customer.id,
      subscription: sub.id,
      subscription_details: { items: [{ id: item, price: scaleAnnual.id }], proration_behavior: "create_prorations", proration_date: half },
    });
    expect(preview.lines.data.map((l) => l.amount)).toEqual([-1000, 49800]);
    expect(preview.amount_due).toBe(48800);
    const updated = await stripe.subscriptions.update(sub.id, {
      items: [{ id: item, price: scaleAnnual.id }],
      proration_behavior: "create_prorations",
      proration_date: half,
    });
    const { start: newStart, end: newEnd } = span(updated);
    expect(newEnd - newStart).toBeGreaterThanOrEqual(365 * 86400);
    expect(updated.billing_cycle_anchor).toBe(newStart);
    const invoice = await stripe.invoices.retrieve(String(updated.latest_invoice));
    expect(invoice.amount_paid).toBe(48800);
    // Same lines (the new year starts when each call runs, so compare the periods' lengths, not their starts).
    const shape = (lines: Stripe.InvoiceLineItem[]): [number, number][] => lines.map((l) => [l.amount, l.period.end - l.period.start]);
    expect(shape(invoice.lines.data)).toEqual(shape(preview.lines.data));
  });

  it("create_prorations carries the exact credit and charge to the renewal; none changes the price with no proration", async () => {
    const { customer, sub, item, scale, pro } = await subscribed();
    const { start, end } = span(sub);
    const half = start + (end - start) / 2;
    const preview = await stripe.invoices.createPreview({
      customer: customer.id,
      subscription: sub.id,
      subscription_details: { items: [{ id: item, price: scale.id }], proration_behavior: "create_prorations", proration_date: half },
    });
    const updated = await stripe.subscriptions.update(sub.id, {
      items: [{ id: item, price: scale.id }],
      proration_behavior: "create_prorations",
      proration_date: half,
    });
    expect(updated.latest_invoice).toBe(sub.latest_invoice);
    const pending = await stripe.invoices.createPreview({ customer: customer.id, subscription: sub.id });
    expect(pending.lines.data.map((l) => l.amount)).toEqual([-1000, 2500, 5000]);
    const renewal = (await control<{ latest_invoice: Stripe.Invoice }>(`subscriptions/${sub.id}/advance`)).latest_invoice;
    expect(renewal.lines.data.map((l) => l.amount)).toEqual(preview.lines.data.map((l) => l.amount));
    expect(renewal.amount_paid).toBe(6500);
    expect(renewal.lines.data.slice(0, 2).every((l) => l.parent?.subscription_item_details?.proration === true)).toBe(true);
    expect(renewal.lines.data[2]?.period.start).toBe(end);

    const back = await stripe.subscriptions.update(sub.id, { items: [{ id: item, price: pro.id }], proration_behavior: "none" });
    expect(back.items.data[0]?.price.id).toBe(pro.id);
    expect(back.latest_invoice).toBe(renewal.id);
    const next = await stripe.invoices.createPreview({ customer: customer.id, subscription: sub.id });
    expect(next.lines.data.map((l) => l.amount)).toEqual([2000]);
  });

  it("previews the first invoice of a new subscription, and refuses what Stripe refuses", async () => {
    const { scaleAnnual, pro } = await prices();
    const { customer } = await customerWithCard();
    const first = await stripe.invoices.createPreview({ customer: customer.id, subscription_details: { items: [{ price: scaleAnnual.id }] } });
    expect(first.billing_reason).toBe("subscription_create");
    expect(first.amount_due).toBe(49800);
    expect(first.lines.data[0]?.period.end).toBeGreaterThanOrEqual((first.lines.data[0]?.period.start ?? 0) + 365 * 86400);
    expect((await stripe.invoices.list({ customer: customer.id })).data).toHaveLength(0);
    const mixed = await rejection(
      stripe.invoices.createPreview({ customer: customer.id, subscription_details: { items: [{ price: scaleAnnual.id }, { price: pro.id }] } }),
    );
    expect((mixed as Stripe.errors.StripeError).param).toBe("subscription_details[items][1][price]");
    expect(((await rejection(stripe.invoices.createPreview({}))) as Stripe.errors.StripeError).param).toBe("customer");
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: pro.id }] });
    const wrongItem = await rejection(
      stripe.invoices.createPreview({ subscription: sub.id, subscription_details: { items: [{ id: "si_nope", price: pro.id }] } }),
    );
    expect((wrongItem as Stripe.errors.StripeError).code).toBe("resource_missing");
    await stripe.subscriptions.cancel(sub.id);
    expect(((await rejection(stripe.invoices.createPreview({ subscription: sub.id }))) as Stripe.errors.StripeError).code).toBe("invoice_upcoming_none");
  });

  it("cancels at period end and reactivates, with previous_attributes on each update", async () => {
    const { sub } = await subscribed();
    await idle();
    received.length = 0;
    const cancelled = await stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });
    expect(cancelled.status).toBe("active");
    expect(cancelled.cancel_at_period_end).toBe(true);
    expect(cancelled.cancel_at).toBe(span(sub).end);
    expect(cancelled.canceled_at).toBeTruthy();
    const reactivated = await stripe.subscriptions.update(sub.id, { cancel_at_period_end: false });
    expect(reactivated.cancel_at_period_end).toBe(false);
    expect(reactivated.cancel_at).toBeNull();
    await idle();
    const updates = delivered().filter((e) => e.type === "customer.subscription.updated");
    expect(updates).toHaveLength(2);
    expect(updates[0]?.data.previous_attributes).toMatchObject({ cancel_at_period_end: false, cancel_at: null, canceled_at: null });
    expect(updates[1]?.data.previous_attributes).toMatchObject({ cancel_at_period_end: true, cancel_at: span(sub).end });
    const preview = stripe.invoices.createPreview({ subscription: sub.id, subscription_details: { proration_date: span(sub).end + 10 } });
    expect(((await rejection(preview)) as Stripe.errors.StripeError).param).toBe("subscription_details[proration_date]");
  });
});

describe("renewals and failed payments (control API: subscriptions/:id/advance, invoices/:id/retry, dunning)", () => {
  interface Advanced {
    now: number;
    subscription: Stripe.Subscription;
    latest_invoice: Stripe.Invoice | null;
  }

  async function failingSubscription(): Promise<{ customer: Stripe.Customer; sub: Stripe.Subscription; visa: Stripe.PaymentMethod }> {
    const price = await stripe.prices.create({ currency: "usd", unit_amount: 2000, recurring: { interval: "month" }, product_data: { name: "Pro" } });
    const { customer } = await customerWithCard("pm_card_chargeCustomerFail");
    const visa = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], default_payment_method: visa.id });
    expect(sub.status).toBe("active");
    // From now on the subscription falls back to the customer's default card, which saves fine but declines every charge.
    await stripe.subscriptions.update(sub.id, { default_payment_method: "" as unknown as string });
    return { customer, sub, visa };
  }

  it("advances one period: a paid renewal invoice for the next period, events in Stripe's order", async () => {
    const price = await stripe.prices.create({ currency: "usd", unit_amount: 2000, recurring: { interval: "month" }, product_data: { name: "Pro" } });
    const { customer } = await customerWithCard();
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const end = sub.items.data[0]?.current_period_end ?? 0;
    await idle();
    received.length = 0;
    const advanced = await control<Advanced>(`subscriptions/${sub.id}/advance`);
    expect(advanced.now).toBe(end);
    expect(advanced.subscription.status).toBe("active");
    expect(advanced.subscription.items.data[0]?.current_period_start).toBe(end);
    const invoice = advanced.latest_invoice as Stripe.Invoice;
    expect(invoice.billing_reason).toBe("subscription_cycle");
    expect(invoice.status).toBe("paid");
    expect(invoice.amount_paid).toBe(2000);
    expect(invoice.lines.data[0]?.period.start).toBe(end);
    await idle();
    expect(deliveredTypes()).toEqual([
      "customer.subscription.updated",
      "invoice.created",
      "invoice.finalized",
      "payment_intent.created",
      "charge.succeeded",
      "payment_intent.succeeded",
      "invoice.paid",
      "invoice.payment_succeeded",
    ]);
    const first = delivered()[0];
    expect((first?.data.previous_attributes as { items?: unknown }).items).toBeTruthy();
  });

  it("failure → past_due with attempt_count and next_payment_attempt → retry fails → card updated, invoices.pay → active", async () => {
    const { sub, customer, visa } = await failingSubscription();
    await idle();
    received.length = 0;
    const advanced = await control<Advanced>(`subscriptions/${sub.id}/advance`);
    expect(advanced.subscription.status).toBe("past_due");
    const invoice = advanced.latest_invoice as Stripe.Invoice;
    expect(invoice.status).toBe("open");
    expect(invoice.attempt_count).toBe(1);
    expect(invoice.attempted).toBe(true);
    expect(invoice.next_payment_attempt).toBe(advanced.now + 3 * 86400);
    await idle();
    const failed = delivered().find((e) => e.type === "invoice.payment_failed");
    expect((failed?.data.object as Stripe.Invoice).attempt_count).toBe(1);
    const toPastDue = delivered()
      .filter((e) => e.type === "customer.subscription.updated")
      .at(-1);
    expect((toPastDue?.data.object as Stripe.Subscription).status).toBe("past_due");
    expect(toPastDue?.data.previous_attributes).toMatchObject({ status: "active" });

    const retried = await control<{ invoice: Stripe.Invoice; subscription: Stripe.Subscription }>(`invoices/${invoice.id}/retry`);
    expect(retried.invoice.attempt_count).toBe(2);
    expect(retried.invoice.status).toBe("open");
    expect(retried.subscription.status).toBe("past_due");

    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: visa.id } });
    const paid = await stripe.invoices.pay(invoice.id);
    expect(paid.status).toBe("paid");
    expect(paid.attempt_count).toBe(3);
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe("active");
    await idle();
    const healed = delivered()
      .filter((e) => e.type === "customer.subscription.updated")
      .at(-1);
    expect((healed?.data.object as Stripe.Subscription).status).toBe("active");
    expect(healed?.data.previous_attributes).toMatchObject({ status: "past_due" });
  });

  it("after the configured retries the subscription goes unpaid (setting) and paying the invoice reactivates it", async () => {
    expect(await control("dunning", { maxAttempts: 3, retryIntervalSeconds: 86400, afterRetries: "unpaid" })).toEqual({
      maxAttempts: 3,
      retryIntervalSeconds: 86400,
      afterRetries: "unpaid",
    });
    const { sub, visa } = await failingSubscription();
    const advanced = await control<Advanced>(`subscriptions/${sub.id}/advance`);
    const invoice = advanced.latest_invoice as Stripe.Invoice;
    expect(invoice.next_payment_attempt).toBe(advanced.now + 86400);
    await control(`invoices/${invoice.id}/retry`);
    const last = await control<{ invoice: Stripe.Invoice; subscription: Stripe.Subscription }>(`invoices/${invoice.id}/retry`);
    expect(last.invoice.attempt_count).toBe(3);
    expect(last.invoice.next_payment_attempt).toBeNull();
    expect(last.invoice.status).toBe("open");
    expect(last.subscription.status).toBe("unpaid");
    await expect(control(`invoices/${invoice.id}/retry`)).rejects.toThrow(/no retry scheduled/);
    await idle();
    const toUnpaid = delivered()
      .filter((e) => e.type === "customer.subscription.updated")
      .at(-1);
    expect((toUnpaid?.data.object as Stripe.Subscription).status).toBe("unpaid");
    expect(toUnpaid?.data.previous_attributes).toEqual({ status: "past_due" });
    expect(delivered().filter((e) => e.type === "invoice.payment_failed")).toHaveLength(3);

    const paid = await stripe.invoices.pay(invoice.id, { payment_method: visa.id });
    expect(paid.status).toBe("paid");
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe("active");
  });

  it("cancels after the retries by default, with customer.subscription.deleted", async () => {
    await control("dunning", { maxAttempts: 2 });
    const { sub } = await failingSubscription();
    const advanced = await control<Advanced>(`subscriptions/${sub.id}/advance`);
    await control(`invoices/${(advanced.latest_invoice as Stripe.Invoice).id}/retry`);
    const ended = await stripe.subscriptions.retrieve(sub.id);
    expect(ended.status).toBe("canceled");
    expect(ended.cancellation_details?.reason).toBe("payment_failed");
    await idle();
    expect(deliveredTypes()).toContain("customer.subscription.deleted");
    await expect(control("dunning", { afterRetries: "forever" })).rejects.toThrow(/afterRetries/);
  });
});

describe("billing portal configurations and flows", () => {
  async function catalog(): Promise<{ pro: Stripe.Price; scale: Stripe.Price; other: Stripe.Price }> {
    const pro = await stripe.prices.create({ currency: "usd", unit_amount: 2000, recurring: { interval: "month" }, product_data: { name: "Pro" } });
    const scale = await stripe.prices.create({ currency: "usd", unit_amount: 5000, recurring: { interval: "month" }, product_data: { name: "Scale" } });
    const other = await stripe.prices.create({ currency: "usd", unit_amount: 9900, recurring: { interval: "month" }, product_data: { name: "Hidden" } });
    return { pro, scale, other };
  }

  function configParams(pro: Stripe.Price, scale: Stripe.Price): Stripe.BillingPortal.ConfigurationCreateParams {
    return {
      business_profile: { headline: "Creditdesk plans" },
      default_return_url: "http://localhost:3000/t/acme/subscription",
      features: {
        payment_method_update: { enabled: true },
        invoice_history: { enabled: true },
        subscription_cancel: { enabled: true, mode: "at_period_end", proration_behavior: "none" },
        subscription_update: {
          enabled: true,
          default_allowed_updates: ["price"],
          proration_behavior: "always_invoice",
          products: [
            { product: String(pro.product), prices: [pro.id] },
            { product: String(scale.product), prices: [scale.id] },
          ],
        },
      },
      metadata: { app: "creditdesk" },
    };
  }

  function portalPoster(portalUrl: string): (path: string, form: Record<string, string>) => Promise<Response> {
    const base = new URL(portalUrl).pathname;
    return (path, form) =>
      fetch(`${emulator.url}${base}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form),
      });
  }

  it("creates, retrieves, lists and updates configurations shaped like Stripe's", async () => {
    const { pro, scale } = await catalog();
    const config = await stripe.billingPortal.configurations.create(configParams(pro, scale));
    expect(config.id).toMatch(/^bpc_/);
    expect(config.object).toBe("billing_portal.configuration");
    expect(config.active).toBe(true);
    expect(config.is_default).toBe(false);
    expect(config.default_return_url).toBe("http://localhost:3000/t/acme/subscription");
    expect(config.business_profile).toEqual({ headline: "Creditdesk plans", privacy_policy_url: null, terms_of_service_url: null });
    expect(config.features.payment_method_update).toEqual({ enabled: true, payment_method_configuration: null });
    expect(config.features.invoice_history).toEqual({ enabled: true });
    expect(config.features.customer_update).toEqual({ allowed_updates: [], enabled: false });
    expect(config.features.subscription_cancel).toEqual({
      cancellation_reason: { enabled: false, options: [] },
      enabled: true,
      mode: "at_period_end",
      proration_behavior: "none",
    });
    expect(config.features.subscription_update).toMatchObject({
      default_allowed_updates: ["price"],
      enabled: true,
      proration_behavior: "always_invoice",
      products: [
        { product: pro.product, prices: [pro.id], adjustable_quantity: { enabled: false, maximum: null, minimum: 1 } },
        { product: scale.product, prices: [scale.id], adjustable_quantity: { enabled: false, maximum: null, minimum: 1 } },
      ],
      trial_update_behavior: "end_trial",
    });
    expect(config.login_page).toEqual({ enabled: false, url: null });
    expect(config.metadata).toEqual({ app: "creditdesk" });
    expect(config.updated).toBe(config.created);

    expect((await stripe.billingPortal.configurations.retrieve(config.id)).features).toEqual(config.features);
    expect((await stripe.billingPortal.configurations.list({ active: true })).data.map((c) => c.id)).toEqual([config.id]);
    const updated = await stripe.billingPortal.configurations.update(config.id, {
      features: { subscription_cancel: { mode: "immediately" }, invoice_history: { enabled: false } },
    });
    expect(updated.features.subscription_cancel.mode).toBe("immediately");
    expect(updated.features.invoice_history.enabled).toBe(false);
    expect(updated.features.subscription_update.products).toHaveLength(2);
    await idle();
    const types = deliveredTypes().filter((t) => t.startsWith("billing_portal."));
    expect(types).toEqual(["billing_portal.configuration.created", "billing_portal.configuration.updated"]);
    const upd = delivered().find((e) => e.type === "billing_portal.configuration.updated");
    expect((upd?.data.previous_attributes as { features: { subscription_cancel: { mode: string } } }).features.subscription_cancel.mode).toBe("at_period_end");

    const noProducts = await rejection(
      stripe.billingPortal.configurations.create({ features: { subscription_update: { enabled: true, default_allowed_updates: ["price"] } } }),
    );
    expect((noProducts as Stripe.errors.StripeError).param).toBe("features[subscription_update][products]");
    const wrongPrice = await rejection(
      stripe.billingPortal.configurations.create({
        features: {
          subscription_update: { enabled: true, default_allowed_updates: ["price"], products: [{ product: String(pro.product), prices: [scale.id] }] },
        },
      }),
    );
    expect((wrongPrice as Stripe.errors.StripeError).param).toBe("features[subscription_update][products][0][prices][0]");
    expect(await rejection(stripe.billingPortal.configurations.retrieve("bpc_nope"))).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });

  it("sessions use the configuration: default return_url, only its prices, its proration, disabled features refused", async () => {
    const { pro, scale, other } = await catalog();
    const config = await stripe.billingPortal.configurations.create(configParams(pro, scale));
    const { customer } = await customerWithCard();
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: pro.id }] });
    const session = await stripe.billingPortal.sessions.create({ customer: customer.id, configuration: config.id });
    expect(session.configuration).toBe(config.id);
    expect(session.return_url).toBe("http://localhost:3000/t/acme/subscription");
    const html = await (await fetch(session.url)).text();
    expect(html).toContain(`id="price-option-${scale.id}"`);
    expect(html).not.toContain(`id="price-option-${other.id}"`);
    expect(html).toContain(`id="cancel-subscription-${sub.id}"`);
    expect(html).toContain('id="invoice-history"');
    expect(html).toContain('href="http://localhost:3000/t/acme/subscription"');

    const post = portalPoster(session.url);
    expect((await post("/update-plan", { subscription: sub.id, price: other.id })).headers.get("location")).toContain("error=invalid_price");
    await idle();
    received.length = 0;
    const res = await post("/update-plan", { subscription: sub.id, price: scale.id });
    expect(res.headers.get("location")).toContain("notice=plan_updated");
    const switched = await stripe.subscriptions.retrieve(sub.id);
    expect(switched.items.data[0]?.price.id).toBe(scale.id);
    const invoice = await stripe.invoices.retrieve(String(switched.latest_invoice));
    expect(invoice.billing_reason).toBe("subscription_update");
    expect(invoice.status).toBe("paid");
    await idle();
    expect(deliveredTypes()).toEqual(
      expect.arrayContaining(["invoice.created", "invoice.finalized", "invoice.paid", "invoice.payment_succeeded", "customer.subscription.updated"]),
    );

    await stripe.billingPortal.configurations.update(config.id, {
      features: { subscription_cancel: { enabled: false }, payment_method_update: { enabled: false }, invoice_history: { enabled: false } },
    });
    const locked = await stripe.billingPortal.sessions.create({ customer: customer.id, configuration: config.id, return_url: "http://localhost:3000/x" });
    const lockedHtml = await (await fetch(locked.url)).text();
    expect(lockedHtml).not.toContain(`id="cancel-subscription-${sub.id}"`);
    expect(lockedHtml).not.toContain('id="update-payment-method"');
    expect(lockedHtml).not.toContain('id="invoice-history"');
    const lockedPost = portalPoster(locked.url);
    expect((await lockedPost("/cancel", { subscription: sub.id })).headers.get("location")).toContain("error=feature_disabled");
    expect((await lockedPost("/payment-method", { card: "5555555555554444" })).headers.get("location")).toContain("error=feature_disabled");
    expect((await stripe.subscriptions.retrieve(sub.id)).cancel_at_period_end).toBe(false);
    const flow = await rejection(
      stripe.billingPortal.sessions.create({
        customer: customer.id,
        configuration: config.id,
        flow_data: { type: "subscription_cancel", subscription_cancel: { subscription: sub.id } },
      }),
    );
    expect((flow as Stripe.errors.StripeError).param).toBe("flow_data[type]");

    await stripe.billingPortal.configurations.update(config.id, { active: false });
    const inactive = await rejection(stripe.billingPortal.sessions.create({ customer: customer.id, configuration: config.id }));
    expect((inactive as Stripe.errors.StripeError).param).toBe("configuration");
  });

  it("runs flows: cancel with redirect after completion, card update (retries the open invoice), each with its webhooks", async () => {
    const { pro, scale } = await catalog();
    const config = await stripe.billingPortal.configurations.create(configParams(pro, scale));
    const { customer } = await customerWithCard("pm_card_chargeCustomerFail");
    const visa = await stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: pro.id }], default_payment_method: visa.id });
    await stripe.subscriptions.update(sub.id, { default_payment_method: "" as unknown as string });
    const renewal = await control<{ subscription: Stripe.Subscription; latest_invoice: Stripe.Invoice }>(`subscriptions/${sub.id}/advance`);
    expect(renewal.subscription.status).toBe("past_due");

    const other = await customerWithCard();
    const foreign = await rejection(
      stripe.billingPortal.sessions.create({
        customer: other.customer.id,
        configuration: config.id,
        flow_data: { type: "subscription_cancel", subscription_cancel: { subscription: sub.id } },
      }),
    );
    expect((foreign as Stripe.errors.StripeError).param).toBe("flow_data[subscription_cancel][subscription]");

    await idle();
    received.length = 0;
    const cardFlow = await stripe.billingPortal.sessions.create({
      customer: customer.id,
      configuration: config.id,
      flow_data: {
        type: "payment_method_update",
        after_completion: { type: "redirect", redirect: { return_url: "http://localhost:3000/t/acme/subscription?card=1" } },
      },
    });
    expect(cardFlow.flow?.type).toBe("payment_method_update");
    expect(cardFlow.flow?.after_completion).toEqual({
      hosted_confirmation: null,
      redirect: { return_url: "http://localhost:3000/t/acme/subscription?card=1" },
      type: "redirect",
    });
    const res = await portalPoster(cardFlow.url)("/payment-method", { card: "4242424242424242" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("http://localhost:3000/t/acme/subscription?card=1");
    expect((await stripe.invoices.retrieve(renewal.latest_invoice.id)).status).toBe("paid");
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe("active");
    await idle();
    const types = deliveredTypes();
    for (const t of ["payment_method.attached", "customer.updated", "invoice.paid", "invoice.payment_succeeded", "customer.subscription.updated"])
      expect(types).toContain(t);
    expect(types.indexOf("payment_method.attached")).toBeLessThan(types.indexOf("invoice.paid"));

    received.length = 0;
    const cancelFlow = await stripe.billingPortal.sessions.create({
      customer: customer.id,
      configuration: config.id,
      flow_data: {
        type: "subscription_cancel",
        subscription_cancel: { subscription: sub.id },
        after_completion: { type: "redirect", redirect: { return_url: "http://localhost:3000/t/acme/subscription?cancelled=1" } },
      },
    });
    expect(cancelFlow.flow?.subscription_cancel?.subscription).toBe(sub.id);
    const cancelled = await portalPoster(cancelFlow.url)("/cancel", { subscription: sub.id });
    expect(cancelled.headers.get("location")).toBe("http://localhost:3000/t/acme/subscription?cancelled=1");
    const after = await stripe.subscriptions.retrieve(sub.id);
    expect(after.cancel_at_period_end).toBe(true);
    expect(after.status).toBe("active");
    await idle();
    const upd = delivered().find((e) => e.type === "customer.subscription.updated");
    expect(upd?.data.previous_attributes).toMatchObject({ cancel_at_period_end: false });
  });
});

describe.skipIf(!existsSync(FIXTURES))("issue 10 shapes against Stripe fixtures", () => {
  /** Every key path of the fixture (objects only, arrays by their first element) that ours lacks. */
  function missingPaths(fixture: unknown, ours: unknown, path: string, out: string[]): void {
    if (fixture === null || typeof fixture !== "object" || Array.isArray(fixture)) return;
    if (ours === null || typeof ours !== "object") return; // a null where Stripe shows an object is a legal value
    for (const [k, v] of Object.entries(fixture)) {
      if (!(k in ours)) {
        out.push(`${path}.${k}`);
        continue;
      }
      const mine = (ours as Record<string, unknown>)[k];
      if (Array.isArray(v) && Array.isArray(mine)) {
        if (v[0] !== undefined && mine[0] !== undefined) missingPaths(v[0], mine[0], `${path}.${k}[0]`, out);
      } else missingPaths(v, mine, `${path}.${k}`, out);
    }
  }

  it("preview invoices, portal configurations and sessions carry Stripe's fields, nested ones included", async () => {
    const fixtures = (JSON.parse(readFileSync(FIXTURES, "utf8")) as { resources: Record<string, Record<string, unknown>> }).resources;
    const pro = await stripe.prices.create({ currency: "usd", unit_amount: 2000, recurring: { interval: "month" }, product_data: { name: "Pro" } });
    const scale = await stripe.prices.create({ currency: "usd", unit_amount: 5000, recurring: { interval: "month" }, product_data: { name: "Scale" } });
    const { customer } = await customerWithCard();
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: pro.id }] });
    const preview = await stripe.invoices.createPreview({
      customer: customer.id,
      subscription: sub.id,
      subscription_details: { items: [{ id: sub.items.data[0]?.id ?? "", price: scale.id }], proration_behavior: "always_invoice" },
    });
    const config = await stripe.billingPortal.configurations.create({
      features: {
        subscription_update: { enabled: true, default_allowed_updates: ["price"], products: [{ product: String(scale.product), prices: [scale.id] }] },
      },
    });
    const session = await stripe.billingPortal.sessions.create({
      customer: customer.id,
      configuration: config.id,
      flow_data: { type: "subscription_update", subscription_update: { subscription: sub.id } },
    });
    const missing: string[] = [];
    for (const [name, obj] of Object.entries({ invoice: preview, "billing_portal.configuration": config, "billing_portal.session": session })) {
      expect((obj as { object: string }).object).toBe(name);
      missingPaths(fixtures[name], obj, name, missing);
    }
    // payment_method_options lists every method type Stripe supports; ours lists none (null), as an invoice without options does.
    expect(missing.filter((m) => !m.startsWith("invoice.payment_settings.payment_method_options"))).toEqual([]);
  });
});

describe("invoice items: pending charges ride on the next renewal or on a one-off invoice", () => {
  it("a pending item joins the subscription's renewal invoice (and its preview), once", async () => {
    const price = await stripe.prices.create({ currency: "usd", unit_amount: 4900, recurring: { interval: "month" }, product_data: { name: "Pro" } });
    const { customer, pm } = await customerWithCard();
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], default_payment_method: pm.id });
    const item = await stripe.invoiceItems.create({
      customer: customer.id,
      subscription: sub.id,
      amount: 1234,
      currency: "usd",
      description: "Usage beyond the plan: 6,170,000 FCU",
      metadata: { team_id: "team_x" },
    });
    expect(item).toMatchObject({ object: "invoiceitem", amount: 1234, invoice: null, parent: { subscription_details: { subscription: sub.id } } });
    expect((await stripe.invoiceItems.list({ customer: customer.id, pending: true })).data.map((i) => i.id)).toEqual([item.id]);
    const preview = await stripe.invoices.createPreview({ customer: customer.id, subscription: sub.id });
    expect(preview.total).toBe(4900 + 1234);

    const renewal = (await control<{ latest_invoice: Stripe.Invoice }>(`subscriptions/${sub.id}/advance`)).latest_invoice;
    expect(renewal).toMatchObject({ status: "paid", billing_reason: "subscription_cycle", total: 4900 + 1234, amount_paid: 4900 + 1234 });
    expect(renewal.lines.data.map((l) => l.amount)).toEqual([4900, 1234]);
    expect((await stripe.invoiceItems.retrieve(item.id)).invoice).toBe(renewal.id);
    expect((await stripe.invoiceItems.list({ customer: customer.id, pending: true })).data).toEqual([]);
    // The next renewal does not bill it again.
    const next = (await control<{ latest_invoice: Stripe.Invoice }>(`subscriptions/${sub.id}/advance`)).latest_invoice;
    expect(next.total).toBe(4900);
  });

  it("invoices.create takes pending items only when asked; pay charges the default card; a finalized invoice's items stay put", async () => {
    const { customer } = await customerWithCard();
    const item = await stripe.invoiceItems.create({ customer: customer.id, amount: 2000, currency: "usd", description: "Credit line statement" });
    const excluded = await stripe.invoices.create({ customer: customer.id, auto_advance: false });
    expect(excluded).toMatchObject({ status: "draft", total: 0, billing_reason: "manual" });
    const invoice = await stripe.invoices.create({ customer: customer.id, pending_invoice_items_behavior: "include", auto_advance: false });
    expect(invoice).toMatchObject({ status: "draft", total: 2000, amount_due: 2000 });
    const extra = await stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: -500, currency: "usd", description: "Goodwill" });
    expect(extra.invoice).toBe(invoice.id);
    const paid = await stripe.invoices.pay(invoice.id);
    expect(paid).toMatchObject({ status: "paid", total: 1500, amount_paid: 1500 });
    expect(paid.hosted_invoice_url).toMatch(/\/invoices\//);
    const refused = await rejection(stripe.invoiceItems.del(item.id));
    expect(refused.message).toMatch(/finalized invoice/);
    const late = await rejection(stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: 100, currency: "usd" }));
    expect(late.message).toMatch(/draft invoices/);
  });

  it("an auto-advancing draft finalizes an hour later and is charged; another customer's subscription is refused", async () => {
    const { customer } = await customerWithCard();
    await stripe.invoiceItems.create({ customer: customer.id, amount: 700, currency: "usd" });
    const invoice = await stripe.invoices.create({ customer: customer.id, pending_invoice_items_behavior: "include" });
    expect(invoice.status).toBe("draft");
    await control("clock/advance", { seconds: 3601 });
    expect(await stripe.invoices.retrieve(invoice.id)).toMatchObject({ status: "paid", amount_paid: 700 });

    const other = await customerWithCard();
    const price = await stripe.prices.create({ currency: "usd", unit_amount: 900, recurring: { interval: "month" }, product_data: { name: "Starter" } });
    const sub = await stripe.subscriptions.create({ customer: other.customer.id, items: [{ price: price.id }], default_payment_method: other.pm.id });
    const refused = await rejection(stripe.invoiceItems.create({ customer: customer.id, subscription: sub.id, amount: 1, currency: "usd" }));
    expect(refused.message).toMatch(/does not belong/);
  });
});
