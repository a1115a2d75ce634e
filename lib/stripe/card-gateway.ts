import type Stripe from "stripe";
import type { CardGateway, CardSetupSnapshot, CustomerGateway, SavedCard } from "../billing/cards/card-port";
import { callStripe } from "./client";

const idOf = (v: string | { id: string } | null | undefined): string | null => (v == null ? null : typeof v === "string" ? v : v.id);

const BRANDS: Record<string, string> = {
  visa: "Visa",
  mastercard: "Mastercard",
  amex: "American Express",
  discover: "Discover",
  jcb: "JCB",
  diners: "Diners Club",
  unionpay: "UnionPay",
};

function toSavedCard(pm: Stripe.PaymentMethod): SavedCard | null {
  if (pm.type !== "card" || !pm.card) return null;
  const brand = BRANDS[pm.card.brand] ?? pm.card.brand;
  return {
    paymentMethodId: pm.id,
    brand,
    last4: pm.card.last4,
    expMonth: pm.card.exp_month,
    expYear: pm.card.exp_year,
    label: `${brand} •••• ${pm.card.last4}`,
  };
}

function toCardSetupSnapshot(s: Stripe.Checkout.Session): CardSetupSnapshot {
  const seti = s.setup_intent && typeof s.setup_intent === "object" ? s.setup_intent : null;
  return {
    mode: s.mode,
    status: s.status,
    metadata: Object.fromEntries(Object.entries(s.metadata ?? {}).filter((e): e is [string, string] => typeof e[1] === "string")),
    customerId: idOf(s.customer as string | { id: string } | null),
    setupIntent: seti ? { status: seti.status, paymentMethodId: idOf(seti.payment_method as string | { id: string } | null) } : null,
  };
}

/** Saved cards, card setup on Stripe's hosted page, and customers. */
export function stripeCardGateway(stripe: Stripe): CardGateway & CustomerGateway {
  return {
    findSavedCard: (customerId) =>
      callStripe("reading the saved card", async () => {
        const customer = await stripe.customers.retrieve(customerId, { expand: ["invoice_settings.default_payment_method"] });
        if ("deleted" in customer && customer.deleted) return null;
        const preferred = (customer as Stripe.Customer).invoice_settings?.default_payment_method;
        if (preferred && typeof preferred === "object") {
          const card = toSavedCard(preferred);
          if (card) return card;
        }
        const cards = await stripe.paymentMethods.list({ customer: customerId, type: "card", limit: 1 });
        const first = cards.data[0];
        return first ? toSavedCard(first) : null;
      }),
    makeDefaultCard: async (customerId, paymentMethodId) => {
      await callStripe("saving the default card", () => stripe.customers.update(customerId, { invoice_settings: { default_payment_method: paymentMethodId } }));
    },
    openCardSetup: async ({ customerId, metadata, successUrl, cancelUrl }) => {
      const session = await callStripe("starting card setup", () =>
        stripe.checkout.sessions.create({
          mode: "setup",
          customer: customerId,
          currency: "usd",
          allowed_payment_method_types: ["card"],
          metadata,
          success_url: successUrl,
          cancel_url: cancelUrl,
        } as Stripe.Checkout.SessionCreateParams),
      );
      return { url: session.url };
    },
    readCardSetup: (sessionId) =>
      callStripe("reading card setup", async () => toCardSetupSnapshot(await stripe.checkout.sessions.retrieve(sessionId, { expand: ["setup_intent"] }))),
    createCustomer: async ({ name, email, metadata, idempotencyKey }) => {
      const customer = await callStripe("creating the customer", () =>
        stripe.customers.create({ name, ...(email ? { email } : {}), metadata }, { idempotencyKey }),
      );
      return customer.id;
    },
  };
}
