// Stripe's test cards (https://docs.stripe.com/testing) and the pm_card_* tokens that stand for them.

export type CardBehaviour =
  | "succeed"
  | "decline"
  /** Needs 3-D Secure on every payment, off-session ones fail with authentication_required. */
  | "authenticate_always"
  /** Needs 3-D Secure on-session or at setup; off-session charges then succeed. */
  | "authenticate_on_session";

export interface Decline {
  code: string;
  decline_code: string;
  message: string;
}

export interface TestCard {
  number: string;
  brand: "visa" | "mastercard" | "amex" | "discover";
  funding: "credit" | "debit";
  behaviour: CardBehaviour;
  decline?: Decline;
  /** Decline only when charged, not when saved (4000 0000 0000 0341). */
  declineOnlyOnCharge?: boolean;
  label: string;
}

export const GENERIC_DECLINE: Decline = { code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." };
export const INSUFFICIENT_FUNDS: Decline = {
  code: "card_declined",
  decline_code: "insufficient_funds",
  message: "Your card has insufficient funds.",
};
export const EXPIRED_CARD: Decline = { code: "expired_card", decline_code: "expired_card", message: "Your card has expired." };
export const AUTHENTICATION_REQUIRED: Decline = {
  code: "authentication_required",
  decline_code: "authentication_required",
  message: "Your card was declined. This transaction requires authentication.",
};

export const TEST_CARDS: readonly TestCard[] = [
  { number: "4242424242424242", brand: "visa", funding: "credit", behaviour: "succeed", label: "Visa ending 4242 (succeeds)" },
  { number: "4000056655665556", brand: "visa", funding: "debit", behaviour: "succeed", label: "Visa debit ending 5556 (succeeds)" },
  { number: "5555555555554444", brand: "mastercard", funding: "credit", behaviour: "succeed", label: "Mastercard ending 4444 (succeeds)" },
  { number: "378282246310005", brand: "amex", funding: "credit", behaviour: "succeed", label: "Amex ending 0005 (succeeds)" },
  { number: "4000000000000002", brand: "visa", funding: "credit", behaviour: "decline", decline: GENERIC_DECLINE, label: "Visa ending 0002 (declined)" },
  {
    number: "4000000000009995",
    brand: "visa",
    funding: "credit",
    behaviour: "decline",
    decline: INSUFFICIENT_FUNDS,
    label: "Visa ending 9995 (insufficient funds)",
  },
  { number: "4000000000000069", brand: "visa", funding: "credit", behaviour: "decline", decline: EXPIRED_CARD, label: "Visa ending 0069 (expired)" },
  {
    number: "4000000000000341",
    brand: "visa",
    funding: "credit",
    behaviour: "decline",
    decline: GENERIC_DECLINE,
    declineOnlyOnCharge: true,
    label: "Visa ending 0341 (saves, charges decline)",
  },
  {
    number: "4000002760003184",
    brand: "visa",
    funding: "credit",
    behaviour: "authenticate_always",
    label: "Visa ending 3184 (3-D Secure always)",
  },
  {
    number: "4000002500003155",
    brand: "visa",
    funding: "credit",
    behaviour: "authenticate_on_session",
    label: "Visa ending 3155 (3-D Secure unless saved)",
  },
];

export const CARD_TOKENS: Record<string, string> = {
  pm_card_visa: "4242424242424242",
  tok_visa: "4242424242424242",
  pm_card_visa_debit: "4000056655665556",
  pm_card_mastercard: "5555555555554444",
  tok_mastercard: "5555555555554444",
  pm_card_amex: "378282246310005",
  pm_card_chargeDeclined: "4000000000000002",
  tok_chargeDeclined: "4000000000000002",
  pm_card_visa_chargeDeclined: "4000000000000002",
  pm_card_insufficientFunds: "4000000000009995",
  pm_card_chargeDeclinedInsufficientFunds: "4000000000009995",
  pm_card_visa_chargeDeclinedInsufficientFunds: "4000000000009995",
  pm_card_chargeDeclinedExpiredCard: "4000000000000069",
  pm_card_chargeCustomerFail: "4000000000000341",
  pm_card_authenticationRequired: "4000002760003184",
  pm_card_threeDSecureRequired: "4000002760003184",
  pm_card_authenticationRequiredOnSetup: "4000002500003155",
};

export function normaliseCardNumber(input: string): string {
  return input.replace(/[\s-]/g, "");
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = Number(digits[i]);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

export type CardLookup = { ok: true; card: TestCard } | { ok: false; message: string; code: string };

export function lookupCard(input: string): CardLookup {
  const digits = normaliseCardNumber(input);
  if (!/^\d{13,19}$/.test(digits) || !luhnValid(digits)) {
    return { ok: false, code: "incorrect_number", message: "Your card number is incorrect." };
  }
  const known = TEST_CARDS.find((c) => c.number === digits);
  if (known) return { ok: true, card: known };
  // Any other valid number behaves like a plain succeeding card.
  const brand = digits.startsWith("5") ? "mastercard" : digits.startsWith("3") ? "amex" : "visa";
  return { ok: true, card: { number: digits, brand, funding: "credit", behaviour: "succeed", label: `Card ending ${digits.slice(-4)}` } };
}

export function cardForToken(token: string): TestCard | undefined {
  const number = CARD_TOKENS[token];
  if (!number) return undefined;
  return TEST_CARDS.find((c) => c.number === number);
}
