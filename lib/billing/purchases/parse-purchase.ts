import { billingConfig, type BillingConfig } from "../config";
import { BillingError } from "../errors";
import { centsToCredits, formatCents, parseUsdToCents } from "../money";

export type PurchaseChoice = { amountCents: bigint; credits: bigint; bundleId: string | null };

/**
 * What a Buy Credit request asks for: a Quick Select bundle by id (its configured price and credits), or a custom
 * dollar amount typed by a person ("250", "250.50") at the standard rate, within TOPUP_MIN_CENTS..TOPUP_MAX_CENTS.
 */
export function parsePurchase(input: { bundle?: unknown; amount?: unknown }, config: BillingConfig = billingConfig()): PurchaseChoice {
  const hasBundle = input.bundle !== undefined && input.bundle !== null && input.bundle !== "";
  const hasAmount = input.amount !== undefined && input.amount !== null && input.amount !== "";
  if (hasBundle === hasAmount)
    throw new BillingError("VALIDATION_FAILED", "Choose a bundle or enter a custom amount.", { field: hasBundle ? "amount" : "bundle" });
  if (hasBundle) {
    const bundle = config.creditBundles.find((b) => b.id === input.bundle);
    if (!bundle) throw new BillingError("VALIDATION_FAILED", "That bundle is not offered. Choose one of the bundles shown.", { field: "bundle" });
    return { amountCents: bundle.amountCents, credits: bundle.credits, bundleId: bundle.id };
  }
  if (typeof input.amount !== "string") throw new BillingError("VALIDATION_FAILED", "Enter the amount as text, like 250 or 250.50.", { field: "amount" });
  let cents: bigint;
  try {
    cents = parseUsdToCents(input.amount, "amount");
  } catch {
    throw new BillingError("VALIDATION_FAILED", "Enter an amount in dollars with at most two decimals, like 250 or 250.50.", { field: "amount" });
  }
  if (cents < config.topUpMinCents)
    throw new BillingError("VALIDATION_FAILED", `The minimum purchase is ${formatCents(config.topUpMinCents)}.`, { field: "amount" });
  if (cents > config.topUpMaxCents)
    throw new BillingError("VALIDATION_FAILED", `The maximum purchase is ${formatCents(config.topUpMaxCents)}.`, { field: "amount" });
  return { amountCents: cents, credits: centsToCredits(cents, config.creditsPerDollar), bundleId: null };
}
