import type { SeedSubscription } from "@/lib/billing/subscriptions/api-subscription";
import { centsToUsd } from "@/lib/billing/money";

/** The seed's subscription answer: the price in dollars (a JSON number), the rest as the core has it. */
export function seedAnswer({ monthly_price_cents, ...s }: SeedSubscription) {
  return { ...s, monthly_price_usd: centsToUsd(monthly_price_cents) };
}
