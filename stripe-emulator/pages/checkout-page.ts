/*
 * Hosted and embedded Checkout pages, and the 3-D Secure test pages.
 *
 * Stable element ids (for Playwright and screen readers):
 *   Pay page (GET /c/pay/:sessionId, embedded: GET /c/embedded/:clientSecret)
 *     #checkout-title        h1 ("Pay Creditdesk", "Subscribe", "Save a payment method")
 *     #checkout-amount       total, formatted ("$10.00", "$20.00 per month")
 *     #line-items            ul; each li.line-item has data-price-id, .line-name, .line-quantity, .line-amount
 *     #payment-methods       fieldset of radios #method-<type> (label = method name: "Card", "PayPal", "WeChat Pay" ...)
 *     #payment-error         role=alert, shown after a failed attempt ("Your card was declined.")
 *     Card section #section-card / form #card-form:
 *       #email ("Email"), #card-number ("Card number"), #card-expiry ("Expiration date"), #card-cvc ("CVC"),
 *       #cardholder-name ("Name on card"), #pay-button ("Pay $10.00" / "Subscribe" / "Save card")
 *     Other method sections #section-<type>, buttons (only the selected method's section is visible):
 *       #authorize-payment-<type> ("Authorize payment"), #fail-payment-<type> ("Fail payment"),
 *       #leave-pending-<type> ("Leave pending", delayed-notification methods in payment mode only)
 *     #cancel-link ("Back", hosted sessions with cancel_url)
 *     #session-status        shown instead of the form once the session is complete or expired
 *     #continue-link         link to success_url / return_url on the completed page
 *   3-D Secure page (GET /c/pay/:sessionId/3ds, /c/embedded/:clientSecret/3ds, /authenticate/:pi_or_seti_id)
 *     #three-d-secure-title, #three-d-secure-complete ("Complete"), #three-d-secure-fail ("Fail")
 *   ?method=<type> on the pay page preselects a method.
 */
import { TEST_CARDS } from "../cards.js";
import { formatMoney } from "../money.js";
import { settleInvoiceForPaymentIntent } from "../resources/invoices.js";
import { priceLabel } from "../resources/subscriptions.js";
import {
  attemptCheckout,
  completionUrl,
  DELAYED_METHODS,
  finishCheckoutAuthentication,
  methodName,
  sessionBySecret,
  type AttemptResult,
} from "../resources/checkout.js";
import { finishSetupAuthentication } from "../resources/payment-methods.js";
import { finishAuthentication } from "../resources/payments.js";
import type { Router } from "../router.js";
import type { Store } from "../store.js";
import type { CheckoutSession, PaymentIntent, PaymentMethod, SetupIntent } from "../types.js";
import {
  esc,
  field,
  htmlReply,
  jsonForScript,
  notFound,
  page,
  param,
  redirect,
  withQuery,
  type PageContext,
  type PageHandler,
  type PageReply,
} from "./html.js";

interface Target {
  session: CheckoutSession;
  embedded: boolean;
  /** Path of the pay page for this view (hosted uses the id, embedded the client secret). */
  base: string;
}

const ERROR_MESSAGES: Record<string, string> = {
  generic_decline: "Your card was declined.",
  card_declined: "Your card was declined.",
  insufficient_funds: "Your card has insufficient funds.",
  expired_card: "Your card has expired.",
  incorrect_number: "Your card number is incorrect.",
  missing_card: "Enter your card number.",
  email_invalid: "Your email address is invalid.",
  payment_intent_authentication_failure: "We are unable to authenticate your payment method. Please choose a different payment method and try again.",
};

function errorMessage(code: string, method: string): string {
  if (method !== "card" && code !== "email_invalid") return `${methodName(method)} declined the payment. Choose another payment method and try again.`;
  return ERROR_MESSAGES[code] ?? "Your card was declined.";
}

/*
 * Tells the embedding Stripe.js stand-in how tall this page's content is, so the iframe fits it. It measures the body
 * (the content), never document.documentElement.scrollHeight: that is at least the iframe's own height, so answering
 * with it made every resize report a taller page and the iframe grew by a few pixels every frame, forever (seen:
 * 910px to 1,710px in three seconds, 8,500px after a minute and a half). A cross-process iframe relaid out on every
 * frame is what a click into it races. It posts only when the height changed.
 */
const RESIZE_SCRIPT = `(function(){if(window.parent===window)return;var last=-1;function post(){var h=Math.ceil(Math.max(document.body.scrollHeight,document.body.getBoundingClientRect().height));if(h===last)return;last=h;window.parent.postMessage({source:'stripe-emulator',type:'resize',height:h},'*');}if(typeof ResizeObserver==='function'){new ResizeObserver(post).observe(document.body);}else{window.addEventListener('resize',post);}window.addEventListener('load',post);post();})();`;

function targetFor(ctx: PageContext, embedded: boolean): Target | undefined {
  if (embedded) {
    const secret = param(ctx, "secret");
    const session = sessionBySecret(ctx.store, secret);
    return session ? { session, embedded: true, base: `/c/embedded/${encodeURIComponent(secret)}` } : undefined;
  }
  const found = ctx.store.get(param(ctx, "id"));
  if (!found || found.object !== "checkout.session") return undefined;
  const session = found as CheckoutSession;
  return { session, embedded: false, base: `/c/pay/${session.id}` };
}

function headline(store: Store, session: CheckoutSession): { title: string; amount: string; button: string } {
  const items = store.sessionItems.get(session.id) ?? [];
  const total = formatMoney(session.amount_total ?? 0, session.currency ?? "usd");
  if (session.mode === "setup") return { title: "Save a payment method", amount: "", button: "Save card" };
  if (session.mode === "subscription") {
    const recurring = items.find((i) => i.price.recurring);
    const interval = recurring?.price.recurring;
    const per = interval ? (interval.interval_count === 1 ? `per ${interval.interval}` : `every ${interval.interval_count} ${interval.interval}s`) : "";
    const trialDays = Number(store.sessionExtra.get(session.id)?.subscriptionData?.trial_period_days ?? 0);
    const name = recurring?.description ?? "plan";
    return {
      title: `Subscribe to ${name}`,
      amount: trialDays > 0 ? `${trialDays} days free, then ${total} ${per}` : `${total} ${per}`.trim(),
      button: "Subscribe",
    };
  }
  return { title: "Pay Creditdesk", amount: total, button: `Pay ${total}` };
}

function completedView(t: Target): string {
  const { session } = t;
  const target = completionUrl(session);
  const status =
    session.status === "expired"
      ? "This checkout session has expired."
      : session.payment_status === "unpaid"
        ? "Your payment is processing. You will be notified when it completes."
        : session.mode === "setup"
          ? "Your payment method has been saved."
          : "Thanks for your payment. This checkout session is complete.";
  return `<main aria-labelledby="checkout-title">
<p><span class="badge">Test mode</span></p>
<h1 id="checkout-title">${session.status === "expired" ? "Session expired" : "Payment complete"}</h1>
<p id="session-status" role="status" data-status="${esc(session.status)}" data-payment-status="${esc(session.payment_status)}">${esc(status)}</p>
${session.status === "complete" && target ? `<p><a id="continue-link" href="${esc(target)}" target="_top">Continue</a></p>` : ""}
</main>`;
}

function completionScript(t: Target): string {
  const { session } = t;
  const message = {
    source: "stripe-emulator",
    type: "checkout_complete",
    sessionId: session.id,
    status: session.status,
    paymentStatus: session.payment_status,
    returnUrl: completionUrl(session),
    redirectOnCompletion: session.redirect_on_completion ?? "always",
  };
  return `${RESIZE_SCRIPT}(function(){var m=${jsonForScript(message)};if(m.status!=='complete')return;if(window.parent!==window){window.parent.postMessage(m,'*');}else if(m.returnUrl&&m.redirectOnCompletion!=='never'){window.location.replace(m.returnUrl);}})();`;
}

function renderPayPage(ctx: PageContext, t: Target): PageReply {
  const { store } = ctx;
  const { session } = t;
  if (session.status !== "open") {
    return htmlReply(page({ title: "Checkout", embedded: t.embedded, body: completedView(t), script: t.embedded ? completionScript(t) : undefined }));
  }
  const items = store.sessionItems.get(session.id) ?? [];
  const types = session.payment_method_types;
  const requested = field(ctx.query, "method");
  const selected = types.includes(requested) ? requested : (types[0] ?? "card");
  const errorCode = field(ctx.query, "error");
  const head = headline(store, session);
  const email = field(ctx.query, "email") || session.customer_email || String((session.customer_details?.email as string | null | undefined) ?? "");

  const lineItems = items
    .map(
      (
        i,
      ) => `<li class="line-item" data-price-id="${esc(i.price.id)}"><span class="line-name">${esc(i.description)}${i.price.recurring ? ` <span class="muted">(${esc(priceLabel(store, i.price))})</span>` : ""}</span>
<span class="line-quantity muted">Qty ${i.quantity}</span><span class="line-amount">${esc(formatMoney(i.amount_total, i.currency))}</span></li>`,
    )
    .join("\n");

  const radios = types
    .map(
      (type) =>
        `<label for="method-${esc(type)}"><input type="radio" name="method-choice" id="method-${esc(type)}" value="${esc(type)}"${type === selected ? " checked" : ""}> ${esc(methodName(type))}</label>`,
    )
    .join("\n");

  const sections = types
    .map((type) => {
      if (type === "card") {
        const tips = TEST_CARDS.map(
          (c) => `<li><code>${esc(c.number.replace(/(\d{4})(?=\d)/g, "$1 "))}</code> <span class="muted">${esc(c.label)}</span></li>`,
        ).join("");
        return `<section id="section-card" class="method-section">
<form id="card-form" method="post" action="${esc(t.base)}">
<input type="hidden" name="method" value="card"><input type="hidden" name="action" value="pay">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="email" value="${esc(email)}">
<label for="card-number">Card number</label><input id="card-number" name="card_number" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234" aria-describedby="card-help" required>
<p id="card-help" class="muted">Test mode: use 4242 4242 4242 4242 to succeed, 4000 0000 0000 0002 to decline, 4000 0027 6000 3184 for 3-D Secure.</p>
<div class="row"><div><label for="card-expiry">Expiration date</label><input id="card-expiry" name="card_expiry" autocomplete="cc-exp" placeholder="MM / YY" value="12 / 34"></div>
<div><label for="card-cvc">CVC</label><input id="card-cvc" name="card_cvc" autocomplete="cc-csc" inputmode="numeric" value="123"></div></div>
<label for="cardholder-name">Name on card</label><input id="cardholder-name" name="name" autocomplete="cc-name">
<button id="pay-button" type="submit">${esc(head.button)}</button>
</form>
<details id="test-cards"><summary>Test cards</summary><ul>${tips}</ul></details>
</section>`;
      }
      const pending = session.mode === "payment" && DELAYED_METHODS.has(type);
      const name = methodName(type);
      return `<section id="section-${esc(type)}" class="method-section">
<form method="post" action="${esc(t.base)}">
<input type="hidden" name="method" value="${esc(type)}">
<p>Simulated ${esc(name)} authorization: choose what the customer does.</p>
<button id="authorize-payment-${esc(type)}" type="submit" name="action" value="authorize">Authorize payment</button>
<button id="fail-payment-${esc(type)}" class="danger" type="submit" name="action" value="fail">Fail payment</button>
${pending ? `<button id="leave-pending-${esc(type)}" class="secondary" type="submit" name="action" value="pending">Leave pending</button>` : ""}
</form>
</section>`;
    })
    .join("\n");

  // Only the section of the checked radio is shown; works without JavaScript.
  const css = `.method-section{display:none}\n${types.map((type) => `body:has(#method-${type}:checked) #section-${type}{display:block}`).join("\n")}`;
  const body = `<main aria-labelledby="checkout-title">
<p><span class="badge">Test mode</span> <span class="muted">Stripe emulator — no real payment is made.</span></p>
<h1 id="checkout-title">${esc(head.title)}</h1>
${head.amount ? `<p id="checkout-amount" class="amount">${esc(head.amount)}</p>` : ""}
${items.length ? `<section class="card" aria-labelledby="summary-title"><h2 id="summary-title">Order summary</h2><ul id="line-items" class="plain">${lineItems}</ul></section>` : ""}
${errorCode ? `<div id="payment-error" class="alert" role="alert">${esc(errorMessage(errorCode, field(ctx.query, "method") || selected))}</div>` : ""}
<fieldset id="payment-methods"><legend>Payment method</legend>
${radios}
</fieldset>
${sections}
${!t.embedded && session.cancel_url ? `<footer><a id="cancel-link" href="${esc(session.cancel_url)}">Back</a></footer>` : ""}
</main>`;
  return htmlReply(page({ title: head.title, embedded: t.embedded, body, css, script: t.embedded ? RESIZE_SCRIPT : undefined }));
}

function afterAttempt(t: Target, result: AttemptResult, method: string, email: string): PageReply {
  switch (result.kind) {
    case "complete":
    case "pending": {
      const target = completionUrl(t.session);
      if (!t.embedded && target) return redirect(target);
      return redirect(t.base);
    }
    case "requires_action":
      return redirect(`${t.base}/3ds`);
    case "declined":
      return redirect(withQuery(t.base, { method, error: result.code, email }));
  }
}

function submitPayPage(ctx: PageContext, t: Target): PageReply {
  const { store, form } = ctx;
  if (t.session.status !== "open") return redirect(t.base);
  const method = field(form, "method") || "card";
  const action = field(form, "action");
  const email = field(form, "email").trim();
  if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return redirect(withQuery(t.base, { method, error: "email_invalid" }));
  if (!t.session.payment_method_types.includes(method)) return redirect(t.base);
  let result: AttemptResult;
  if (method === "card") {
    const number = field(form, "card_number");
    if (!number.trim()) return redirect(withQuery(t.base, { method, error: "missing_card", email }));
    result = attemptCheckout(store, t.session, { methodType: "card", cardNumber: number, email: email || null, name: field(form, "name") || null });
  } else {
    const outcome = action === "fail" ? "declined" : action === "pending" && t.session.mode === "payment" ? "pending" : "paid";
    result = attemptCheckout(store, t.session, { methodType: method, outcome, email: email || null });
  }
  return afterAttempt(t, result, method, email);
}

function threeDsBody(opts: { title: string; description: string; action: string; embedded: boolean }): string {
  return `<main aria-labelledby="three-d-secure-title">
<p><span class="badge">Test mode</span></p>
<h1 id="three-d-secure-title">${esc(opts.title)}</h1>
<p>${esc(opts.description)}</p>
<form method="post" action="${esc(opts.action)}">
<button id="three-d-secure-complete" type="submit" name="action" value="complete">Complete</button>
<button id="three-d-secure-fail" class="danger" type="submit" name="action" value="fail">Fail</button>
</form>
</main>`;
}

function render3ds(ctx: PageContext, t: Target): PageReply {
  const pending = ctx.store.sessionPendingAuth.get(t.session.id);
  if (t.session.status !== "open" || !pending) return redirect(t.base);
  const amount = t.session.amount_total ? formatMoney(t.session.amount_total, t.session.currency ?? "usd") : "a card verification";
  const body = threeDsBody({
    title: "3D Secure 2 Test Page",
    description: `Authenticate ${amount} on the card ending ${pending.cardNumber.slice(-4)}. Complete passes the challenge; Fail declines it.`,
    action: `${t.base}/3ds`,
    embedded: t.embedded,
  });
  return htmlReply(page({ title: "3D Secure authentication", body, embedded: t.embedded, script: t.embedded ? RESIZE_SCRIPT : undefined }));
}

function submit3ds(ctx: PageContext, t: Target): PageReply {
  if (t.session.status !== "open" || !ctx.store.sessionPendingAuth.has(t.session.id)) return redirect(t.base);
  const pending = ctx.store.sessionPendingAuth.get(t.session.id);
  const result = finishCheckoutAuthentication(ctx.store, t.session, field(ctx.form, "action") === "complete");
  return afterAttempt(t, result, pending?.methodType ?? "card", pending?.email ?? "");
}

// /authenticate/:id — the next_action.redirect_to_url page for PaymentIntents and SetupIntents.

function intentFor(store: Store, id: string): PaymentIntent | SetupIntent | undefined {
  const found = store.get(id);
  if (found && (found.object === "payment_intent" || found.object === "setup_intent")) return found as PaymentIntent | SetupIntent;
  return undefined;
}

function renderAuthenticate(ctx: PageContext): PageReply {
  const intent = intentFor(ctx.store, param(ctx, "id"));
  if (!intent) return notFound("No such PaymentIntent or SetupIntent.");
  const embedded = field(ctx.query, "embedded") === "1";
  if (intent.status !== "requires_action") {
    const message = { source: "stripe-emulator", type: "authentication_complete", id: intent.id, status: intent.status };
    const body = `<main><h1 id="three-d-secure-title">Authentication finished</h1><p id="authentication-status" role="status" data-status="${esc(intent.status)}">Status: ${esc(intent.status)}</p></main>`;
    return htmlReply(
      page({
        title: "Authentication finished",
        body,
        embedded,
        script: `if(window.parent!==window){window.parent.postMessage(${jsonForScript(message)},'*');}`,
      }),
    );
  }
  const pm = intent.payment_method ? (ctx.store.get(intent.payment_method) as PaymentMethod | undefined) : undefined;
  const amount = intent.object === "payment_intent" ? formatMoney(intent.amount, intent.currency) : "a card setup";
  const body = threeDsBody({
    title: "3D Secure 2 Test Page",
    description: `Authenticate ${amount} on the card ending ${pm?.card?.last4 ?? "????"}. Complete passes the challenge; Fail declines it.`,
    action: withQuery(`/authenticate/${intent.id}`, { embedded: embedded ? "1" : undefined }),
    embedded,
  });
  return htmlReply(page({ title: "3D Secure authentication", body, embedded, script: embedded ? RESIZE_SCRIPT : undefined }));
}

/** Shared by the page and the control API: finish 3-D Secure for an intent, cascading to its checkout session or invoice. */
export function authenticateIntent(store: Store, intent: PaymentIntent | SetupIntent, success: boolean): void {
  if (intent.object === "setup_intent") {
    finishSetupAuthentication(store, intent, success);
    return;
  }
  const sessionId = store.sessionByPaymentIntent.get(intent.id);
  const session = sessionId ? (store.get(sessionId) as CheckoutSession | undefined) : undefined;
  if (session && store.sessionPendingAuth.has(session.id)) {
    finishCheckoutAuthentication(store, session, success);
    return;
  }
  finishAuthentication(store, intent, success);
  settleInvoiceForPaymentIntent(store, intent);
}

function submitAuthenticate(ctx: PageContext): PageReply {
  const intent = intentFor(ctx.store, param(ctx, "id"));
  if (!intent) return notFound("No such PaymentIntent or SetupIntent.");
  const embedded = field(ctx.query, "embedded") === "1";
  const self = withQuery(`/authenticate/${intent.id}`, { embedded: embedded ? "1" : undefined });
  if (intent.status !== "requires_action") return redirect(self);
  const next = intent.next_action as { redirect_to_url?: { return_url?: string | null } } | null;
  const returnUrl = next?.redirect_to_url?.return_url ?? null;
  authenticateIntent(ctx.store, intent, field(ctx.form, "action") === "complete");
  const status: string = intent.status;
  if (returnUrl && !embedded) {
    const key = intent.object === "payment_intent" ? "payment_intent" : "setup_intent";
    return redirect(
      withQuery(returnUrl, {
        [key]: intent.id,
        [`${key}_client_secret`]: intent.client_secret,
        redirect_status: status === "succeeded" ? "succeeded" : "failed",
      }),
    );
  }
  return redirect(self);
}

export function registerCheckoutPages(r: Router<PageHandler>): void {
  const withTarget =
    (embedded: boolean, fn: (ctx: PageContext, t: Target) => PageReply): PageHandler =>
    (ctx) => {
      const t = targetFor(ctx, embedded);
      return t ? fn(ctx, t) : notFound("No such checkout session.");
    };
  r.get("/c/pay/:id", withTarget(false, renderPayPage));
  r.post("/c/pay/:id", withTarget(false, submitPayPage));
  r.get("/c/pay/:id/3ds", withTarget(false, render3ds));
  r.post("/c/pay/:id/3ds", withTarget(false, submit3ds));
  r.get("/c/embedded/:secret", withTarget(true, renderPayPage));
  r.post("/c/embedded/:secret", withTarget(true, submitPayPage));
  r.get("/c/embedded/:secret/3ds", withTarget(true, render3ds));
  r.post("/c/embedded/:secret/3ds", withTarget(true, submit3ds));
  r.get("/authenticate/:id", renderAuthenticate);
  r.post("/authenticate/:id", submitAuthenticate);
}
