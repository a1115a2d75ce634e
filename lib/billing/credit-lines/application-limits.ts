// The credit-line application's fixed limits and words, without zod: the form shows them before anything is checked.

export const APPLICANT_TYPES = ["ENTERPRISE", "INDIVIDUAL_WITH_PRODUCT", "INDIVIDUAL_WITHOUT_PRODUCT"] as const;
export type ApplicantTypeName = (typeof APPLICANT_TYPES)[number];

/** Requests and approvals above this are refused as absurd: $1,000,000 a month. */
export const CREDIT_LINE_MAX_CENTS = 100_000_000n;
export const CREDIT_LINE_TEXT_LIMITS = { short: 200, long: 4000, url: 500, email: 254 } as const;

export const NO_PRODUCT_MESSAGE =
  "Credit lines are for companies and for people with a product or project we can look at. Prepaid top-ups are the way for you: " +
  "top up any amount, usage is deducted from your balance, and your credits never expire.";
