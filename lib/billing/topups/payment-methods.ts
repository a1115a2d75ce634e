import { billingConfig, type BillingConfig, type PaymentMethod } from "../config";
import { BillingError } from "../errors";
import { PAYMENT_METHOD_WORDS } from "../words";

/** The currency top-ups are priced in; credits are bought per US dollar (CREDITS_PER_DOLLAR). */
export const TOPUP_CURRENCY = "usd";

/** What each method can do, from Stripe's payment method support tables. */
const capabilities: Record<PaymentMethod, { currencies: readonly string[] | "any"; reusable: boolean; hint: string }> = {
  card: { currencies: "any", reusable: true, hint: "Visa, Mastercard, American Express and more" },
  paypal: {
    currencies: ["usd", "eur", "gbp", "chf", "czk", "dkk", "nok", "pln", "sek", "aud", "cad", "hkd", "nzd", "sgd"],
    reusable: true,
    hint: "PayPal account or guest checkout",
  },
  wechat_pay: {
    currencies: ["usd", "cny", "eur", "gbp", "hkd", "jpy", "sgd", "aud", "cad", "chf", "dkk", "nok", "sek"],
    reusable: false,
    hint: "Scan a QR code with WeChat",
  },
  alipay: { currencies: ["usd", "cny", "eur", "gbp", "hkd", "jpy", "sgd", "aud", "cad", "myr", "nzd"], reusable: false, hint: "Pay with your Alipay account" },
  naver_pay: { currencies: ["krw"], reusable: true, hint: "Korean wallet" },
  kakao_pay: { currencies: ["krw"], reusable: true, hint: "Korean wallet" },
};

export type TopUpFlow = "one_off" | "saved";

export type MethodOption = {
  method: PaymentMethod;
  label: string;
  hint: string;
  available: boolean;
  /** Why the method cannot be used here, for people. */
  reason: string | null;
};

/**
 * The enabled payment methods for a flow and currency, each with whether it can be used and why not. A one-off
 * top-up can use any enabled method priced in the currency; saved (off-session) charges need a reusable method.
 */
export function topUpMethodOptions({
  config = billingConfig(),
  currency = TOPUP_CURRENCY,
  flow = "one_off",
}: { config?: BillingConfig; currency?: string; flow?: TopUpFlow } = {}): MethodOption[] {
  return config.paymentMethods.map((method) => {
    const cap = capabilities[method];
    const label = PAYMENT_METHOD_WORDS[method];
    let reason: string | null = null;
    if (cap.currencies !== "any" && !cap.currencies.includes(currency)) {
      reason =
        cap.currencies.length === 1 && cap.currencies[0] === "krw"
          ? `${label} charges only in Korean won (KRW), and top-ups here are priced in ${currency.toUpperCase()}.`
          : `${label} does not support payments in ${currency.toUpperCase()}.`;
    } else if (flow === "saved" && !cap.reusable) {
      reason = `${label} can only be used for one-off payments; it cannot be saved for later charges.`;
    }
    return { method, label, hint: cap.hint, available: reason === null, reason };
  });
}

/** The method as a known, enabled and usable one, or VALIDATION_FAILED saying why not. */
export function assertTopUpMethod(raw: unknown, opts: { config?: BillingConfig; currency?: string; flow?: TopUpFlow } = {}): PaymentMethod {
  const options = topUpMethodOptions(opts);
  const option = typeof raw === "string" ? options.find((o) => o.method === raw) : undefined;
  if (!option) {
    const enabled = options.filter((o) => o.available).map((o) => o.label);
    throw new BillingError("VALIDATION_FAILED", `That payment method is not enabled. Choose one of: ${enabled.join(", ")}.`, { field: "method" });
  }
  if (!option.available) throw new BillingError("VALIDATION_FAILED", option.reason ?? `${option.label} is not available.`, { field: "method" });
  return option.method;
}
