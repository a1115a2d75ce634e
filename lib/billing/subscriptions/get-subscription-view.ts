import type { Actor } from "../../auth/permissions";
import type { Tx } from "../../db/client";
import type { SavedCard } from "../cards/card-port";
import { type SubscriptionState } from "./read-subscription-state";

export type PlanKind = "free" | "payg" | "paid" | "enterprise";

export type PlanOffer = {
  id: string;
  name: string;
  kind: PlanKind;
  monthlyPriceCents: bigint;
  annualPriceCents: bigint;
  annualPerMonthCents: bigint;
  annualSavingPct: number;
  monthlyCredits: bigint | null;
  features: string[];
};

export type SubscriptionView = SubscriptionState & {
  paymentMethod: Pick<SavedCard, "brand" | "last4" | "expMonth" | "expYear"> | null;
  nextInvoice: { amountCents: bigint; date: Date } | null;
  portalEnabled: boolean;
  canManage: boolean;
  plans: PlanOffer[];
};

/** The Subscription page's whole view (billing:read). Implementation follows. */
export async function getSubscriptionView(_: { db: Tx; gateway: unknown; actor: Actor; now?: Date }): Promise<SubscriptionView> {
  throw new Error("not implemented yet");
}
