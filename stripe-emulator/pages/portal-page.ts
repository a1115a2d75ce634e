/*
 * Customer portal page (GET /p/session/:secret) and hosted invoice / receipt pages.
 *
 * Stable element ids:
 *   Portal: #portal-title, #portal-customer, #portal-notice (role=status), #portal-error (role=alert),
 *     #subscriptions; per subscription #subscription-<subId> (data-status) containing
 *       #cancel-subscription-<subId> ("Cancel plan") or #renew-subscription-<subId> ("Renew plan"),
 *       radios #price-option-<priceId> (label "<product> — $20.00 / month") and #update-plan-<subId> ("Update plan");
 *     #no-subscriptions when there is none;
 *     #current-payment-method, select #new-card ("Test card"), #update-payment-method ("Update payment method");
 *     #invoice-history with links #invoice-link-<invoiceId>; #return-link ("Return to Creditdesk").
 *   With a configuration (billing_portal.configurations), sections whose feature is disabled are left out (and their
 *     form posts refused with #portal-error), and only the configured prices are offered.
 *   Hosted invoice (GET /invoices/:id): #invoice-title, #invoice-number, #invoice-status, #invoice-amount-due,
 *     #invoice-lines, #invoice-pdf-link ("Download invoice"), and for open invoices select #invoice-card + #invoice-pay-button ("Pay").
 *   Receipt (GET /receipts/:chargeId): #receipt-title, #receipt-amount, #receipt-status.
 */
import { lookupCard, TEST_CARDS } from "../cards.js";
import { formatMoney } from "../money.js";
import { attemptInvoicePayment } from "../resources/invoices.js";
import {
  afterInvoicePaid,
  cancelSubscription,
  defaultPaymentMethodFor,
  priceLabel,
  renewSubscriptionCancellation,
  retryOpenInvoices,
  updateSubscription,
} from "../resources/subscriptions.js";
import { setDefaultPaymentMethod } from "../resources/customers.js";
import { attachPaymentMethod, createCardPaymentMethod } from "../resources/payment-methods.js";
import { portalRules } from "../resources/portal-configurations.js";
import type { Router } from "../router.js";
import { clone, type Store } from "../store.js";
import type { Charge, Customer, Invoice, PaymentMethod, PortalSession, Price, Product, Subscription } from "../types.js";
import {
  esc,
  field,
  fmtDate,
  htmlReply,
  notFound,
  page,
  param,
  redirect,
  simplePdf,
  withQuery,
  type PageContext,
  type PageHandler,
  type PageReply,
} from "./html.js";

const NOTICES: Record<string, string> = {
  canceled: "Your plan has been canceled.",
  cancel_scheduled: "Your plan will be canceled at the end of the billing period.",
  renewed: "Your plan will renew.",
  plan_updated: "Your plan has been updated.",
  payment_method_updated: "Your payment method has been updated.",
};

const ERRORS: Record<string, string> = {
  card_declined: "Your card was declined.",
  insufficient_funds: "Your card has insufficient funds.",
  expired_card: "Your card has expired.",
  invalid_price: "That plan is not available.",
  payment_failed: "The plan was changed, but the payment for it failed. Update your payment method.",
  feature_disabled: "This action is not available.",
};

const VISIBLE_STATUSES = new Set(["active", "trialing", "past_due", "incomplete", "unpaid", "paused"]);

function portalFor(ctx: PageContext): { session: PortalSession; customer: Customer; base: string } | undefined {
  const secret = param(ctx, "secret");
  const id = ctx.store.portalBySecret.get(secret);
  const session = id ? (ctx.store.get(id) as PortalSession | undefined) : undefined;
  if (!session) return undefined;
  const customer = ctx.store.get(session.customer) as Customer | undefined;
  if (!customer) return undefined;
  return { session, customer, base: `/p/session/${encodeURIComponent(secret)}` };
}

function productName(store: Store, price: Price): string {
  return (store.get(price.product) as Product | undefined)?.name ?? price.nickname ?? price.id;
}

function describePm(pm: PaymentMethod | null): string {
  if (!pm) return "No default payment method.";
  if (pm.card)
    return `${pm.card.brand.charAt(0).toUpperCase()}${pm.card.brand.slice(1)} •••• ${pm.card.last4}, expires ${pm.card.exp_month}/${pm.card.exp_year}`;
  return pm.type;
}

function renderPortal(ctx: PageContext): PageReply {
  const found = portalFor(ctx);
  if (!found) return notFound("This portal session does not exist or has expired.");
  const { store } = ctx;
  const { session, customer, base } = found;
  const rules = portalRules(store, session);
  const subs = store.all<Subscription>("subscription").filter((s) => s.customer === customer.id && VISIBLE_STATUSES.has(s.status));
  const plans = store
    .all<Price>("price")
    .filter((p) => p.active && p.recurring && (rules.update.prices === null || rules.update.prices.has(p.id)))
    .sort((a, b) => a.unit_amount - b.unit_amount);
  const defaultPmId = customer.invoice_settings.default_payment_method;
  const defaultPm = defaultPmId ? ((store.get(defaultPmId) as PaymentMethod | undefined) ?? null) : subs[0] ? defaultPaymentMethodFor(store, subs[0]) : null;
  const invoices = store.all<Invoice>("invoice").filter((i) => i.customer === customer.id && i.status !== "draft");
  const notice = NOTICES[field(ctx.query, "notice")];
  const error = ERRORS[field(ctx.query, "error")];

  const subHtml = subs
    .map((sub) => {
      const item = sub.items.data[0];
      const price = item?.price;
      const when = sub.cancel_at
        ? `Cancels on ${fmtDate(sub.cancel_at)}`
        : sub.status === "trialing"
          ? `Trial ends ${fmtDate(sub.trial_end)}`
          : `Renews on ${fmtDate(sub.current_period_end)}`;
      const options = (rules.update.enabled ? plans : [])
        .filter((p) => price && p.currency === price.currency)
        .map((p) => {
          const current = p.id === price?.id;
          return `<label for="price-option-${esc(p.id)}"><input type="radio" name="price" id="price-option-${esc(p.id)}" value="${esc(p.id)}"${current ? " disabled" : ""}> ${esc(productName(store, p))} — ${esc(priceLabel(store, p))}${current ? " (current)" : ""}</label>`;
        })
        .join("\n");
      const cancelForm = sub.cancel_at_period_end
        ? `<form method="post" action="${esc(base)}/renew"><input type="hidden" name="subscription" value="${esc(sub.id)}"><button id="renew-subscription-${esc(sub.id)}" type="submit">Renew plan</button></form>`
        : !rules.cancel.enabled
          ? ""
          : `<form method="post" action="${esc(base)}/cancel"><input type="hidden" name="subscription" value="${esc(sub.id)}"><button id="cancel-subscription-${esc(sub.id)}" class="danger" type="submit">Cancel plan</button></form>`;
      return `<div class="card subscription" id="subscription-${esc(sub.id)}" data-status="${esc(sub.status)}">
<p class="plan-name"><strong>${esc(price ? productName(store, price) : sub.id)}</strong> ${esc(price ? priceLabel(store, price) : "")}</p>
<p class="muted">Status: <span class="subscription-status">${esc(sub.status.replace("_", " "))}</span>. ${esc(when)}.</p>
${cancelForm}
${
  options
    ? `<form method="post" action="${esc(base)}/update-plan"><input type="hidden" name="subscription" value="${esc(sub.id)}">
<fieldset><legend>Change plan</legend>${options}</fieldset>
<button id="update-plan-${esc(sub.id)}" type="submit">Update plan</button></form>`
    : ""
}
</div>`;
    })
    .join("\n");

  const cardOptions = TEST_CARDS.map((c) => `<option value="${esc(c.number)}">${esc(c.label)}</option>`).join("");
  const invoiceHtml = invoices
    .map(
      (i) => `<li><span>${esc(fmtDate(i.created))}</span><span>${esc(formatMoney(i.total, i.currency))}</span><span class="muted">${esc(i.status)}</span>
${i.hosted_invoice_url ? `<a id="invoice-link-${esc(i.id)}" href="${esc(i.hosted_invoice_url)}">View invoice ${esc(i.number ?? "")}</a>` : ""}</li>`,
    )
    .join("\n");

  const body = `<main aria-labelledby="portal-title">
<p><span class="badge">Test mode</span> <span class="muted">Stripe emulator customer portal</span></p>
<h1 id="portal-title">Manage billing</h1>
<p id="portal-customer" class="muted">${esc(customer.name ?? "")} ${esc(customer.email ?? customer.id)}</p>
${notice ? `<div id="portal-notice" class="notice" role="status">${esc(notice)}</div>` : ""}
${error ? `<div id="portal-error" class="alert" role="alert">${esc(error)}</div>` : ""}
<section id="subscriptions" aria-labelledby="subscriptions-title"><h2 id="subscriptions-title">Current plan</h2>
${subHtml || '<p id="no-subscriptions">No active subscriptions.</p>'}
</section>
<section id="payment-method" aria-labelledby="payment-method-title"><h2 id="payment-method-title">Payment method</h2>
<p id="current-payment-method">${esc(describePm(defaultPm))}</p>
${
  rules.paymentMethodUpdate
    ? `<form method="post" action="${esc(base)}/payment-method">
<label for="new-card">Test card</label><select id="new-card" name="card">${cardOptions}</select>
<button id="update-payment-method" type="submit">Update payment method</button>
</form>`
    : ""
}
</section>
${
  rules.invoiceHistory
    ? `<section id="invoice-history" aria-labelledby="invoice-history-title"><h2 id="invoice-history-title">Invoice history</h2>
${invoiceHtml ? `<ul class="plain">${invoiceHtml}</ul>` : '<p class="muted">No invoices yet.</p>'}
</section>`
    : ""
}
${session.return_url ? `<footer><a id="return-link" href="${esc(session.return_url)}">Return to Creditdesk</a></footer>` : ""}
</main>`;
  return htmlReply(page({ title: "Manage billing", body }));
}

function afterPortalAction(found: { session: PortalSession; base: string }, result: { notice?: string; error?: string }): PageReply {
  const flow = found.session.flow as { after_completion?: { type?: string; redirect?: { return_url?: string | null } | null } } | null;
  if (!result.error && flow?.after_completion?.type === "redirect" && flow.after_completion.redirect?.return_url) {
    return redirect(flow.after_completion.redirect.return_url);
  }
  return redirect(withQuery(found.base, result));
}

function ownedSubscription(ctx: PageContext, customer: Customer): Subscription | undefined {
  const sub = ctx.store.get(field(ctx.form, "subscription")) as Subscription | undefined;
  return sub && sub.object === "subscription" && sub.customer === customer.id ? sub : undefined;
}

function portalAction(
  action: (ctx: PageContext, found: { session: PortalSession; customer: Customer; base: string }) => { notice?: string; error?: string },
): PageHandler {
  return (ctx) => {
    const found = portalFor(ctx);
    if (!found) return notFound("This portal session does not exist or has expired.");
    return afterPortalAction(found, action(ctx, found));
  };
}

function updatePaymentMethod(store: Store, customer: Customer, cardNumber: string): { notice?: string; error?: string } {
  const found = lookupCard(cardNumber);
  if (!found.ok) return { error: "card_declined" };
  const card = found.card;
  if (card.behaviour === "decline" && !card.declineOnlyOnCharge)
    return {
      error:
        card.decline?.decline_code === "insufficient_funds" ? "insufficient_funds" : card.decline?.code === "expired_card" ? "expired_card" : "card_declined",
    };
  const pm = createCardPaymentMethod(store, card, { email: customer.email, name: customer.name });
  attachPaymentMethod(store, pm, customer);
  setDefaultPaymentMethod(store, customer, pm);
  for (const sub of store.all<Subscription>("subscription")) {
    if (sub.customer !== customer.id || sub.status === "canceled" || sub.default_payment_method === null) continue;
    const before = clone(sub);
    sub.default_payment_method = pm.id;
    store.emitChange("customer.subscription.updated", before, sub);
  }
  retryOpenInvoices(store, customer.id);
  return { notice: "payment_method_updated" };
}

// Hosted invoice and receipt pages

function renderInvoice(ctx: PageContext): PageReply {
  const invoice = ctx.store.get(param(ctx, "id")) as Invoice | undefined;
  if (!invoice || invoice.object !== "invoice" || invoice.status === "draft") return notFound("No such invoice.");
  const lines = invoice.lines.data.map((l) => `<li><span>${esc(l.description)}</span><span>${esc(formatMoney(l.amount, l.currency))}</span></li>`).join("\n");
  const cardOptions = TEST_CARDS.map((c) => `<option value="${esc(c.number)}">${esc(c.label)}</option>`).join("");
  const error = field(ctx.query, "error");
  const body = `<main aria-labelledby="invoice-title">
<p><span class="badge">Test mode</span></p>
<h1 id="invoice-title">Invoice <span id="invoice-number">${esc(invoice.number ?? invoice.id)}</span></h1>
<p>Status: <strong id="invoice-status">${esc(invoice.status)}</strong></p>
<p>Amount due: <span id="invoice-amount-due">${esc(formatMoney(invoice.amount_due, invoice.currency))}</span>; paid: ${esc(formatMoney(invoice.amount_paid, invoice.currency))}</p>
<p class="muted">Issued ${esc(fmtDate(invoice.status_transitions.finalized_at ?? invoice.created))}${invoice.status_transitions.paid_at ? `, paid ${esc(fmtDate(invoice.status_transitions.paid_at))}` : ""}</p>
<section class="card" aria-labelledby="invoice-lines-title"><h2 id="invoice-lines-title">Items</h2><ul id="invoice-lines" class="plain">${lines}</ul></section>
${error ? `<div id="invoice-error" class="alert" role="alert">${esc(ERRORS[error] ?? "The payment failed.")}</div>` : ""}
${
  invoice.status === "open" && invoice.amount_remaining > 0
    ? `<form method="post" action="/invoices/${esc(invoice.id)}/pay"><label for="invoice-card">Test card</label><select id="invoice-card" name="card">${cardOptions}</select>
<button id="invoice-pay-button" type="submit">Pay ${esc(formatMoney(invoice.amount_remaining, invoice.currency))}</button></form>`
    : ""
}
${invoice.invoice_pdf ? `<p><a id="invoice-pdf-link" href="${esc(invoice.invoice_pdf)}">Download invoice</a></p>` : ""}
</main>`;
  return htmlReply(page({ title: `Invoice ${invoice.number ?? invoice.id}`, body }));
}

function payInvoicePage(ctx: PageContext): PageReply {
  const { store } = ctx;
  const invoice = store.get(param(ctx, "id")) as Invoice | undefined;
  if (!invoice || invoice.object !== "invoice") return notFound("No such invoice.");
  const base = `/invoices/${invoice.id}`;
  if (invoice.status !== "open") return redirect(base);
  const found = lookupCard(field(ctx.form, "card"));
  if (!found.ok) return redirect(withQuery(base, { error: "card_declined" }));
  const pm = createCardPaymentMethod(store, found.card);
  // The customer is on the page, so 3-D Secure cards pass here as if the challenge was completed.
  const forced = found.card.behaviour === "authenticate_always" || found.card.behaviour === "authenticate_on_session" ? "succeed" : undefined;
  const result = attemptInvoicePayment(store, invoice, pm, { offSession: false, forced });
  if (result.paid) {
    afterInvoicePaid(store, invoice);
    return redirect(base);
  }
  return redirect(withQuery(base, { error: found.card.decline?.decline_code === "insufficient_funds" ? "insufficient_funds" : "card_declined" }));
}

function invoicePdf(ctx: PageContext): PageReply {
  const invoice = ctx.store.get(param(ctx, "id")) as Invoice | undefined;
  if (!invoice || invoice.object !== "invoice" || invoice.status === "draft") return notFound("No such invoice.");
  const lines = [
    `Invoice ${invoice.number ?? invoice.id}`,
    `Status: ${invoice.status}`,
    `Customer: ${invoice.customer_email ?? invoice.customer ?? ""}`,
    `Date: ${fmtDate(invoice.created)}`,
    "",
    ...invoice.lines.data.map((l) => `${l.description ?? ""}  ${formatMoney(l.amount, l.currency)}`),
    "",
    `Total: ${formatMoney(invoice.total, invoice.currency)}`,
    `Amount paid: ${formatMoney(invoice.amount_paid, invoice.currency)}`,
    `Amount due: ${formatMoney(invoice.amount_remaining, invoice.currency)}`,
    "",
    "Generated by the Creditdesk Stripe emulator (test mode).",
  ];
  return {
    status: 200,
    headers: { "Content-Type": "application/pdf", "Content-Disposition": `inline; filename="invoice-${invoice.number ?? invoice.id}.pdf"` },
    body: simplePdf(lines),
  };
}

function renderReceipt(ctx: PageContext): PageReply {
  const charge = ctx.store.get(param(ctx, "id")) as Charge | undefined;
  if (!charge || charge.object !== "charge") return notFound("No such receipt.");
  const card = charge.payment_method_details.card as { brand?: string; last4?: string } | undefined;
  const body = `<main aria-labelledby="receipt-title">
<p><span class="badge">Test mode</span></p>
<h1 id="receipt-title">Receipt from Creditdesk</h1>
<p class="amount" id="receipt-amount">${esc(formatMoney(charge.amount, charge.currency))}</p>
<p>Status: <strong id="receipt-status">${esc(charge.refunded ? "refunded" : charge.status)}</strong>${charge.amount_refunded ? ` (refunded ${esc(formatMoney(charge.amount_refunded, charge.currency))})` : ""}</p>
<p class="muted">${esc(fmtDate(charge.created))} · ${esc(card ? `${card.brand ?? "card"} •••• ${card.last4 ?? ""}` : charge.payment_method_details.type)}</p>
</main>`;
  return htmlReply(page({ title: "Receipt", body }));
}

export function registerPortalPages(r: Router<PageHandler>): void {
  r.get("/p/session/:secret", renderPortal);
  r.post(
    "/p/session/:secret/cancel",
    portalAction((ctx, { customer, session }) => {
      const rules = portalRules(ctx.store, session);
      if (!rules.cancel.enabled) return { error: "feature_disabled" };
      const sub = ownedSubscription(ctx, customer);
      if (!sub || sub.status === "canceled") return { error: "invalid_price" };
      const immediately = rules.cancel.mode === "immediately";
      cancelSubscription(ctx.store, sub, { atPeriodEnd: !immediately });
      return { notice: immediately ? "canceled" : "cancel_scheduled" };
    }),
  );
  r.post(
    "/p/session/:secret/renew",
    portalAction((ctx, { customer }) => {
      const sub = ownedSubscription(ctx, customer);
      if (!sub || !sub.cancel_at_period_end) return { error: "invalid_price" };
      renewSubscriptionCancellation(ctx.store, sub);
      return { notice: "renewed" };
    }),
  );
  r.post(
    "/p/session/:secret/update-plan",
    portalAction((ctx, { customer, session }) => {
      const rules = portalRules(ctx.store, session);
      if (!rules.update.enabled) return { error: "feature_disabled" };
      const sub = ownedSubscription(ctx, customer);
      const price = ctx.store.get(field(ctx.form, "price")) as Price | undefined;
      if (price && rules.update.prices !== null && !rules.update.prices.has(price.id)) return { error: "invalid_price" };
      const item = sub?.items.data[0];
      if (!sub || !item || !price || price.object !== "price" || !price.active || !price.recurring || price.currency !== sub.currency)
        return { error: "invalid_price" };
      updateSubscription(ctx.store, sub, {
        items: [{ id: item.id, price }],
        prorationBehavior: rules.update.prorationBehavior,
        paymentBehavior: "allow_incomplete",
      });
      return sub.status === "past_due" ? { error: "payment_failed" } : { notice: "plan_updated" };
    }),
  );
  r.post(
    "/p/session/:secret/payment-method",
    portalAction((ctx, { customer, session }) =>
      portalRules(ctx.store, session).paymentMethodUpdate ? updatePaymentMethod(ctx.store, customer, field(ctx.form, "card")) : { error: "feature_disabled" },
    ),
  );
  r.get("/invoices/:id", renderInvoice);
  r.post("/invoices/:id/pay", payInvoicePage);
  r.get("/invoices/:id/pdf", invoicePdf);
  r.get("/receipts/:id", renderReceipt);
}
