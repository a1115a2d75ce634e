import type Stripe from "stripe";
import type { SubscriptionGateway, SubscriptionInvoiceSnapshot, SubscriptionSnapshot } from "../billing/subscriptions/subscription-port";
import { OUR_ID } from "../billing/ids";
import { callStripe } from "./client";

const idOf = (v: unknown): string | null => (v == null ? null : typeof v === "string" ? v : typeof v === "object" && "id" in v ? String(v.id) : null);
const at = (unix: number | null | undefined): Date | null => (unix ? new Date(unix * 1000) : null);

// The SDK's types follow the newest API version (periods on items, the subscription under parent); the fields are
// read where either version puts them.
type Loose = Record<string, unknown>;

/**
 * The plan Creditdesk wrote into a price's metadata when it made the price, with the price's interval: how a
 * subscription is still recognised after a price change moved the lookup key to a newer price.
 */
function pricePlanOf(price: Loose | undefined): { planId: string; annual: boolean } | null {
  const planId = (price?.metadata as Loose | undefined)?.plan_id;
  const interval = (price?.recurring as Loose | undefined)?.interval;
  if (typeof planId !== "string" || !/^[a-z0-9_-]{1,40}$/.test(planId) || (interval !== "month" && interval !== "year")) return null;
  return { planId, annual: interval === "year" };
}

export function toSubscriptionSnapshot(sub: Stripe.Subscription): SubscriptionSnapshot {
  const raw = sub as unknown as Loose;
  const item = sub.items?.data?.[0] as unknown as Loose | undefined;
  const price = item?.price as Loose | undefined;
  const teamId = sub.metadata?.team_id;
  const start = (raw.current_period_start ?? item?.current_period_start) as number | undefined;
  const end = (raw.current_period_end ?? item?.current_period_end) as number | undefined;
  return {
    id: sub.id,
    customerId: idOf(sub.customer),
    teamId: typeof teamId === "string" && OUR_ID.test(teamId) ? teamId : null,
    status: sub.status,
    priceLookupKey: typeof price?.lookup_key === "string" ? price.lookup_key : null,
    pricePlan: pricePlanOf(price),
    currentPeriodStart: at(start) ?? new Date(sub.created * 1000),
    currentPeriodEnd: at(end) ?? at(start) ?? new Date(sub.created * 1000),
    cancelAtPeriodEnd: sub.cancel_at_period_end === true,
    canceledAt: at(sub.canceled_at),
    readAt: new Date(),
    latestInvoiceId: idOf(sub.latest_invoice),
  };
}

/** The price a line bills: embedded (older API versions) or named by id under pricing.price_details (newer ones). */
function linePrice(line: Loose | undefined): { price: Loose } | { priceId: string } | null {
  const price = line?.price as Loose | undefined;
  if (price && typeof price === "object") return { price };
  const id = idOf((line?.pricing as { price_details?: { price?: unknown } } | undefined)?.price_details?.price);
  return id ? { priceId: id } : null;
}

export function toSubscriptionInvoiceSnapshot(
  inv: Stripe.Invoice,
  priceLookupKey: string | null = null,
  pricePlan: SubscriptionInvoiceSnapshot["pricePlan"] = null,
): SubscriptionInvoiceSnapshot {
  const raw = inv as unknown as Loose;
  const parent = raw.parent as { subscription_details?: { subscription?: unknown } } | null | undefined;
  const planLine = invoicePlanLine(inv);
  const period = planLine?.period as { start?: number; end?: number } | undefined;
  return {
    id: inv.id,
    subscriptionId: idOf(raw.subscription) ?? idOf(parent?.subscription_details?.subscription),
    status: inv.status ?? null,
    billingReason: inv.billing_reason ?? null,
    priceLookupKey,
    pricePlan,
    periodStart: at(period?.start) ?? at(inv.period_start) ?? new Date(inv.created * 1000),
    periodEnd: at(period?.end) ?? at(inv.period_end) ?? new Date(inv.created * 1000),
    planLineProration: planLine ? lineIsProration(planLine) : true,
  };
}

/** Whether an invoice line is a proration (older API versions: `proration`; newer ones: under parent). */
export function lineIsProration(line: Loose): boolean {
  if (typeof line.proration === "boolean") return line.proration;
  const parent = line.parent as { subscription_item_details?: { proration?: boolean } } | null | undefined;
  return parent?.subscription_item_details?.proration === true;
}

/** The line that bills the plan: the last one with a price (a proration invoice credits the old plan first). */
function invoicePlanLine(inv: Stripe.Invoice): Loose | undefined {
  const lines = (inv.lines?.data ?? []) as unknown as Loose[];
  return [...lines].reverse().find((l) => linePrice(l)) ?? lines[0];
}

/** The snapshot of an invoice already read from Stripe (the price is read too when the line names it only by id). */
export async function subscriptionInvoiceSnapshotOf(stripe: Stripe, inv: Stripe.Invoice): Promise<SubscriptionInvoiceSnapshot> {
  const ref = linePrice(invoicePlanLine(inv));
  const price = !ref
    ? undefined
    : "priceId" in ref
      ? ((await callStripe("reading a price", () => stripe.prices.retrieve(ref.priceId))) as unknown as Loose)
      : ref.price;
  return toSubscriptionInvoiceSnapshot(inv, typeof price?.lookup_key === "string" ? price.lookup_key : null, pricePlanOf(price));
}

/** The subscription port over one SDK client. */
export function stripeSubscriptionGateway(stripe: Stripe): SubscriptionGateway {
  return {
    retrieveSubscription: async (id) => toSubscriptionSnapshot(await callStripe("reading a subscription", () => stripe.subscriptions.retrieve(id))),
    retrieveSubscriptionInvoice: async (id) =>
      subscriptionInvoiceSnapshotOf(stripe, await callStripe("reading an invoice", () => stripe.invoices.retrieve(id))),
  };
}
