import type Stripe from "stripe";
import type { PaymentIntentSnapshot } from "../billing/purchases/payment-intent";
import { callStripe } from "./client";

const idOf = (v: string | { id: string } | null | undefined): string | null => (v == null ? null : typeof v === "string" ? v : v.id);

/** The facts settling a purchase needs from a PaymentIntent, as Stripe has them. */
export function toPaymentIntentSnapshot(pi: Stripe.PaymentIntent): PaymentIntentSnapshot {
  return {
    id: pi.id,
    status: pi.status,
    amount: pi.amount,
    currency: pi.currency,
    customerId: idOf(pi.customer as string | { id: string } | null),
    metadata: Object.fromEntries(Object.entries(pi.metadata ?? {}).filter((e): e is [string, string] => typeof e[1] === "string")),
    latestChargeId: idOf(pi.latest_charge as string | { id: string } | null),
    lastErrorCode: pi.last_payment_error?.code ?? null,
    lastErrorMessage: pi.last_payment_error?.message ?? null,
  };
}

/** A PaymentIntent read fresh from Stripe (never trusted from a webhook body or the browser). */
export async function retrievePaymentIntent(stripe: Stripe, id: string): Promise<PaymentIntentSnapshot> {
  return callStripe("retrieving a payment", async () => toPaymentIntentSnapshot(await stripe.paymentIntents.retrieve(id)));
}
