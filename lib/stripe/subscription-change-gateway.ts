import Stripe from "stripe";
import { BillingError } from "../billing/errors";
import type { InvoicePreview, SubscriptionChange, SubscriptionChangeGateway } from "../billing/subscriptions/subscription-port";
import { callStripe, toBillingError, isStripeError } from "./client";
import { lineIsProration, toSubscriptionSnapshot } from "./subscription-gateway";

type Loose = Record<string, unknown>;
const at = (unix: unknown): Date | null => (typeof unix === "number" && unix > 0 ? new Date(unix * 1000) : null);

/** A declined card is the customer's bank answering, not Stripe being unreachable: PAYMENT_FAILED and nothing changed. */
async function charging<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isStripeError(e, "StripeCardError")) {
      throw new BillingError("PAYMENT_FAILED", `${e.message} Nothing was charged or changed; try another card.`, { stripeCode: e.code });
    }
    if (isStripeError(e, "StripeInvalidRequestError") && e.code === "resource_missing" && /payment method|payment source/i.test(e.message)) {
      throw new BillingError("NO_PAYMENT_METHOD", "There is no card on file to charge. Add one, or subscribe through Checkout.");
    }
    throw toBillingError(what, e);
  }
}

function toPreview(inv: Stripe.Invoice): InvoicePreview {
  const lines = (inv.lines?.data ?? []) as unknown as Loose[];
  const planLine = [...lines].reverse().find((l) => !lineIsProration(l));
  return {
    amountDueCents: BigInt(inv.amount_due ?? 0),
    lines: lines.map((l) => ({ description: String(l.description ?? ""), amountCents: BigInt(Number(l.amount ?? 0)), proration: lineIsProration(l) })),
    periodEnd: at((planLine?.period as { end?: number } | undefined)?.end),
  };
}

async function itemIdOf(stripe: Stripe, subscriptionId: string): Promise<string> {
  const sub = await callStripe("reading a subscription", () => stripe.subscriptions.retrieve(subscriptionId));
  const id = sub.items.data[0]?.id;
  if (!id) throw new BillingError("CONFLICT", "That subscription has no plan item to change.");
  return id;
}

/** Stripe's parameters for a change (shared by the preview and the update, so the preview bills what the update will). */
function changeParams<T>(c: Omit<SubscriptionChange, "subscriptionId" | "priceId">): T {
  return {
    proration_behavior: c.prorationBehavior,
    ...(c.resetCycle ? { billing_cycle_anchor: "now" as const } : {}),
    ...(c.prorationBehavior === "always_invoice" && c.prorationDate ? { proration_date: c.prorationDate } : {}),
  } as T;
}

/** Creating and changing subscriptions over one SDK client. */
export function stripeSubscriptionChangeGateway(stripe: Stripe): SubscriptionChangeGateway {
  return {
    ensurePlanPrice: (spec) =>
      callStripe("finding the plan's price", async () => {
        const found = await stripe.prices.list({ lookup_keys: [spec.lookupKey], active: true, limit: 1 });
        const p = found.data[0];
        if (p && BigInt(p.unit_amount ?? -1) === spec.amountCents && p.currency === spec.currency && p.recurring?.interval === spec.interval) return p.id;
        // Missing, or the plan's amount changed: a new price takes the lookup key over (existing subscriptions keep theirs).
        const created = await stripe.prices.create(
          {
            currency: spec.currency,
            unit_amount: Number(spec.amountCents),
            recurring: { interval: spec.interval },
            lookup_key: spec.lookupKey,
            transfer_lookup_key: true,
            product_data: { name: spec.productName, metadata: { plan_id: spec.planId } },
            metadata: { plan_id: spec.planId },
          },
          // Keyed by the price it replaces too: a plan's amount changed back later makes a new price (a replayed old
          // creation would hand back a price that no longer holds the lookup key).
          { idempotencyKey: `plan-price:${spec.lookupKey}:${spec.currency}:${spec.amountCents}:${spec.interval}:${p?.id ?? "none"}` },
        );
        return created.id;
      }),
    createSubscription: async (s) =>
      toSubscriptionSnapshot(
        await charging("creating a subscription", () =>
          stripe.subscriptions.create(
            {
              customer: s.customerId,
              items: [{ price: s.priceId }],
              default_payment_method: s.paymentMethodId,
              payment_behavior: "error_if_incomplete",
              off_session: true,
              metadata: s.metadata,
            },
            { idempotencyKey: s.idempotencyKey },
          ),
        ),
      ),
    changeSubscription: async (c, idempotencyKey) => {
      const itemId = await itemIdOf(stripe, c.subscriptionId);
      const sub = await charging("changing a subscription", () =>
        stripe.subscriptions.update(
          c.subscriptionId,
          // Choosing a plan means staying: a pending cancellation is lifted with the change.
          {
            items: [{ id: itemId, price: c.priceId }],
            cancel_at_period_end: false,
            payment_behavior: "error_if_incomplete",
            ...changeParams<Stripe.SubscriptionUpdateParams>(c),
          },
          { idempotencyKey },
        ),
      );
      return toSubscriptionSnapshot(sub);
    },
    setCancelAtPeriodEnd: async (id, cancel, idempotencyKey) =>
      toSubscriptionSnapshot(
        await callStripe(cancel ? "cancelling a subscription" : "reactivating a subscription", () =>
          stripe.subscriptions.update(id, { cancel_at_period_end: cancel }, { idempotencyKey }),
        ),
      ),
    previewSubscriptionChange: async ({ customerId, subscriptionId, priceId, change }) => {
      if (!subscriptionId) {
        const inv = await callStripe("previewing the first invoice", () =>
          stripe.invoices.createPreview({ customer: customerId, subscription_details: { items: [{ price: priceId }] } }),
        );
        return toPreview(inv);
      }
      const itemId = await itemIdOf(stripe, subscriptionId);
      const inv = await callStripe("previewing the plan change", () =>
        stripe.invoices.createPreview({
          customer: customerId,
          subscription: subscriptionId,
          subscription_details: { items: [{ id: itemId, price: priceId }], ...changeParams<Stripe.InvoiceCreatePreviewParams.SubscriptionDetails>(change) },
        }),
      );
      return toPreview(inv);
    },
    previewUpcomingInvoice: async ({ customerId, subscriptionId }) => {
      try {
        const inv = await stripe.invoices.createPreview({ customer: customerId, subscription: subscriptionId });
        const p = toPreview(inv);
        const lines = (inv.lines?.data ?? []) as unknown as Loose[];
        const start = at((lines.find((l) => !lineIsProration(l))?.period as { start?: number } | undefined)?.start) ?? at(inv.period_end);
        return start ? { amountCents: p.amountDueCents, date: start } : null;
      } catch (e) {
        if (isStripeError(e, "StripeInvalidRequestError") && e.code === "invoice_upcoming_none") return null;
        throw toBillingError("previewing the next invoice", e);
      }
    },
    liveSubscriptions: async (customerId) => {
      const list = await callStripe("listing subscriptions", () => stripe.subscriptions.list({ customer: customerId, status: "all", limit: 20 }));
      return list.data.filter((s) => ["active", "trialing", "past_due", "unpaid"].includes(s.status)).map(toSubscriptionSnapshot);
    },
    openSubscriptionCheckout: async (c) => {
      // One open subscription Checkout per customer: the newest replaces the others, so two tabs cannot both be paid.
      const open = await callStripe("listing checkout sessions", () => stripe.checkout.sessions.list({ customer: c.customerId, status: "open", limit: 20 }));
      const s = await callStripe("creating a checkout session", () =>
        stripe.checkout.sessions.create(
          {
            mode: "subscription",
            ui_mode: c.ui === "embedded" ? "embedded_page" : "hosted_page",
            customer: c.customerId,
            line_items: [{ price: c.priceId, quantity: 1 }],
            client_reference_id: c.metadata.team_id,
            metadata: c.metadata,
            subscription_data: { metadata: c.metadata },
            ...(c.ui === "embedded" ? { return_url: c.returnUrl } : { success_url: c.returnUrl, cancel_url: c.cancelUrl }),
          },
          { idempotencyKey: c.idempotencyKey },
        ),
      );
      for (const other of open.data) {
        if (other.id === s.id || other.mode !== "subscription") continue;
        await callStripe("closing an older checkout session", () => stripe.checkout.sessions.expire(other.id)).catch(() => undefined); // paid meanwhile: the webhook tells
      }
      return { sessionId: s.id, clientSecret: s.client_secret, url: s.url };
    },
    readSubscriptionCheckout: async (sessionId) => {
      let s: Stripe.Checkout.Session;
      try {
        s = await stripe.checkout.sessions.retrieve(sessionId);
      } catch (e) {
        if (isStripeError(e, "StripeInvalidRequestError") && e.statusCode === 404) return null;
        throw toBillingError("retrieving a checkout session", e);
      }
      const id = (v: unknown) => (typeof v === "string" ? v : v && typeof v === "object" && "id" in v ? String(v.id) : null);
      return { mode: s.mode, status: s.status, customerId: id(s.customer), teamId: s.metadata?.team_id ?? null, subscriptionId: id(s.subscription) };
    },
    openBillingPortal: async ({ customerId, returnUrl }) => {
      const open = async () =>
        stripe.billingPortal.sessions.create({ customer: customerId, return_url: returnUrl, configuration: await portalConfiguration(stripe) });
      const s = await callStripe("opening the billing portal", async () => {
        try {
          return await open();
        } catch (e) {
          // The configuration we remembered is gone (another Stripe account or a reset test server): make it again, once.
          if (!(isStripeError(e, "StripeInvalidRequestError") && e.param === "configuration")) throw e;
          portalConfigurations.delete(stripe);
          return open();
        }
      });
      return { url: s.url };
    },
    setCustomerEmail: async (customerId, email) => {
      await callStripe("saving the billing email", () => stripe.customers.update(customerId, { email }));
    },
  };
}

const PORTAL_MARK = "creditdesk-portal-v1";
const portalConfigurations = new WeakMap<Stripe, Promise<string>>();

/**
 * Creditdesk's own portal configuration, found by its metadata mark or made once: cards, billing details, invoices and
 * cancellation at period end. Plan changes stay on the Subscription page, where Stripe's preview is shown and the change
 * is charged at once: a portal switch prorated into the next invoice would grant the bigger plan's credits before any
 * payment, and an upgrade and a downgrade before the renewal would keep them for nothing.
 */
function portalConfiguration(stripe: Stripe): Promise<string> {
  const known = portalConfigurations.get(stripe);
  if (known) return known;
  const made = (async () => {
    for await (const c of stripe.billingPortal.configurations.list({ active: true, limit: 100 })) if (c.metadata?.creditdesk === PORTAL_MARK) return c.id;
    const created = await stripe.billingPortal.configurations.create(
      {
        business_profile: { headline: "Manage your cards, billing details and invoices" },
        features: {
          customer_update: { enabled: true, allowed_updates: ["email", "address", "name", "tax_id"] },
          invoice_history: { enabled: true },
          payment_method_update: { enabled: true },
          subscription_cancel: { enabled: true, mode: "at_period_end" },
          subscription_update: { enabled: false },
        },
        metadata: { creditdesk: PORTAL_MARK },
      },
      { idempotencyKey: `${PORTAL_MARK}:${Date.now()}` },
    );
    return created.id;
  })();
  portalConfigurations.set(stripe, made);
  made.catch(() => portalConfigurations.delete(stripe)); // try again on the next call
  return made;
}
