import { billingConfig, type BillingConfig } from "../config";
import { BillingError } from "../errors";
import { formatCents, parseUsdToCents } from "../money";

/**
 * A top-up amount typed by a person ("25", "25.5", "25.50") → cents, within the configured minimum and maximum.
 * A JSON number is read through its shortest decimal form (25.5 → "25.5"); 1e3 or 0.1 + 0.2 are refused.
 */
export function parseTopUpAmount(raw: unknown, config: BillingConfig = billingConfig()): bigint {
  if ((typeof raw !== "string" || raw.trim() === "") && typeof raw !== "number") {
    throw new BillingError("VALIDATION_FAILED", "Enter an amount in dollars, like 25 or 25.50.", { field: "amount" });
  }
  let cents: bigint;
  try {
    cents = parseUsdToCents(raw as string | number, "amount");
  } catch {
    throw new BillingError("VALIDATION_FAILED", "Enter an amount in dollars with at most two decimals, like 25 or 25.50.", { field: "amount" });
  }
  if (cents < config.topUpMinCents) {
    throw new BillingError("VALIDATION_FAILED", `The minimum top-up is ${formatCents(config.topUpMinCents)}.`, { field: "amount" });
  }
  if (cents > config.topUpMaxCents) {
    throw new BillingError("VALIDATION_FAILED", `The maximum top-up is ${formatCents(config.topUpMaxCents)}.`, { field: "amount" });
  }
  return cents;
}
