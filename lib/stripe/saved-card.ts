import type Stripe from "stripe";
import { callStripe } from "./client";

export type SavedCard = { paymentMethodId: string; brand: string; last4: string; expMonth: number; expYear: number; label: string };

const BRANDS: Record<string, string> = { visa: "Visa", mastercard: "Mastercard", amex: "American Express", discover: "Discover", jcb: "JCB", diners: "Diners Club", unionpay: "UnionPay" };

function toSavedCard(pm: Stripe.PaymentMethod): SavedCard | null {
  if (pm.type !== "card" || !pm.card) return null;
  const brand = BRANDS[pm.card.brand] ?? pm.card.brand;
  return { paymentMethodId: pm.id, brand, last4: pm.card.last4, expMonth: pm.card.exp_month, expYear: pm.card.exp_year, label: `${brand} •••• ${pm.card.last4}` };
}

/**
 * The card off-session charges use: the customer's default payment method when it is a card, else the most recent card
 * saved to the customer. Null without a customer or a card (Buy Credit then answers NO_PAYMENT_METHOD).
 */
export async function getSavedCard({ stripe, customerId }: { stripe: Stripe; customerId: string | null }): Promise<SavedCard | null> {
  if (!customerId) return null;
  return callStripe("reading the saved card", async () => {
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
  });
}
