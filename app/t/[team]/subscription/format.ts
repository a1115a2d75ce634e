import { formatDay } from "@/components/format";
import type { SubscriptionView } from "./view";

export const day = formatDay;

/** A card as the page names it everywhere: "Visa ··4242". */
export const cardLabel = (pm: NonNullable<SubscriptionView["paymentMethod"]>) => `${brandName(pm.brand)} ··${pm.last4}`;

const brands: Record<string, string> = {
  visa: "Visa",
  mastercard: "Mastercard",
  amex: "American Express",
  discover: "Discover",
  jcb: "JCB",
  unionpay: "UnionPay",
};
export const brandName = (brand: string) => brands[brand.toLowerCase()] ?? brand.charAt(0).toUpperCase() + brand.slice(1);

/** The seed's status words, as the page shows them; "cancelled" adds the day service ends. */
export function statusText(view: Pick<SubscriptionView, "status" | "periodEnd">): string {
  switch (view.status) {
    case "active":
      return "Active";
    case "trial":
      return "Trial";
    case "cancelled":
      return view.periodEnd ? `Cancelled, ends on ${day(view.periodEnd)}` : "Cancelled";
    case "past_due":
      return "Past due";
    case "unpaid":
      return "Unpaid";
    default:
      return "No subscription";
  }
}

export const cycleText = (c: SubscriptionView["billingCycle"]) => (c === "annual" ? "Annual" : c === "monthly" ? "Monthly" : "—");
