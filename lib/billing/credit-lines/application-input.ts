import { z } from "zod";
import { isStorableText } from "../../auth/input-text";
import { companyEmailProblem, urlHost } from "./company-domain";
import { withoutDigitGroups } from "../amount-text";

// The credit-line application form, checked the same way in the browser (every field's error at once) and in the core
// (the authority). Client-safe: zod and pure functions only; the browser loads it when the form is sent, so a page
// does not download zod to show the form (its limits are in application-limits.ts).

export { APPLICANT_TYPES, type ApplicantTypeName, CREDIT_LINE_MAX_CENTS, CREDIT_LINE_TEXT_LIMITS, NO_PRODUCT_MESSAGE } from "./application-limits";
import { APPLICANT_TYPES, CREDIT_LINE_MAX_CENTS, CREDIT_LINE_TEXT_LIMITS, NO_PRODUCT_MESSAGE } from "./application-limits";

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LINE_BREAK = /[\r\n\t]/;

/** Optional text: trimmed, empty → null, printable (line breaks only where `multiline`). */
const text = (label: string, max: number, multiline = false) =>
  z
    .string({ error: `${label} must be text` })
    .nullish()
    .transform((s) => s ?? "")
    .refine((s) => s.length <= max * 4 && isStorableText(s) && !CONTROL.test(s), `${label} must be printable text`)
    .refine((s) => multiline || !LINE_BREAK.test(s), `${label} must be one line`)
    .transform((s) => s.trim())
    .pipe(z.string().max(max, `${label} must be at most ${max} characters`))
    .transform((s) => (s === "" ? null : s));

// Kept with a non-ASCII address in its ASCII form (https://xn--cme-5cd.com, not the Cyrillic https://аcme.com): the
// reviewer sees the name that was checked, not a homoglyph of another company's.
const link = (label: string) =>
  text(label, CREDIT_LINE_TEXT_LIMITS.url)
    .refine((s) => s === null || urlHost(s)?.includes(".") === true, `${label} must be a web address like https://acme.com`)
    .transform((s) => (s !== null && /[^\x00-\x7f]/.test(s) ? new URL(s).href : s));

/** Dollars a month as typed ("1,500", "1500.50", 1500) → cents, from $1 to CREDIT_LINE_MAX_CENTS. */
export const monthlyDollars = (label: string) =>
  z
    .union([z.string(), z.number()], { error: `Enter ${label.toLowerCase()} in dollars` })
    .transform((v) => (typeof v === "number" ? String(v) : withoutDigitGroups(v.trim().replace(/^\$/, ""))))
    .pipe(z.string().regex(/^\d{1,9}(\.\d{1,2})?$/, `${label} must be a dollar amount like 1500 or 1500.50`))
    .transform((v) => {
      const [whole, frac = ""] = v.split(".");
      return BigInt(whole!) * 100n + BigInt(frac.padEnd(2, "0"));
    })
    .pipe(z.bigint().min(100n, `${label} must be at least $1`).max(CREDIT_LINE_MAX_CENTS, `${label} must be at most $1,000,000 a month`));

const materials = {
  companyName: text("Company name", CREDIT_LINE_TEXT_LIMITS.short),
  website: link("Website"),
  productInfo: text("Product", CREDIT_LINE_TEXT_LIMITS.long, true),
  businessUseCase: text("Business use case", CREDIT_LINE_TEXT_LIMITS.long, true),
  appLink: link("App link"),
  otherMaterials: text("Other materials", CREDIT_LINE_TEXT_LIMITS.long, true),
  contactEmail: text("Company email", CREDIT_LINE_TEXT_LIMITS.email).refine((s) => s === null || z.email().safeParse(s).success, "Enter a valid email address"),
};

export const applicationInputSchema = z
  .strictObject({
    applicantType: z.enum(APPLICANT_TYPES, { error: "Choose who is applying" }),
    ...materials,
    expectedUsage: monthlyDollars("Expected monthly usage"),
    requestedLimit: monthlyDollars("Requested limit"),
  })
  .superRefine((v, ctx) => {
    const need = (field: keyof typeof v, message: string) => {
      if (v[field] === null) ctx.addIssue({ code: "custom", path: [field], message });
    };
    if (v.applicantType === "INDIVIDUAL_WITHOUT_PRODUCT") {
      ctx.addIssue({ code: "custom", path: ["applicantType"], message: NO_PRODUCT_MESSAGE });
      return;
    }
    if (v.applicantType === "ENTERPRISE") {
      need("companyName", "Enter the company name");
      need("website", "Enter the company website");
      need("productInfo", "Describe the product");
      need("businessUseCase", "Describe the business use case");
      need("contactEmail", "Enter an address on the company's domain; we email it a confirmation link");
      if (v.contactEmail && v.website) {
        const problem = companyEmailProblem(v.contactEmail, v.website);
        if (problem) ctx.addIssue({ code: "custom", path: ["contactEmail"], message: problem });
      }
    } else {
      need("productInfo", "Describe the product or project");
      if (v.website === null && v.appLink === null) ctx.addIssue({ code: "custom", path: ["website"], message: "Give a website or an app download link" });
    }
  });

/** A draft: any field may be missing, but each one given must be valid; nothing is required by applicant type. */
export const draftInputSchema = z.strictObject({
  applicantType: z.enum(["ENTERPRISE", "INDIVIDUAL_WITH_PRODUCT"], { error: "Choose who is applying" }),
  ...materials,
  expectedUsage: z.preprocess((v) => (v === "" ? null : v), monthlyDollars("Expected monthly usage").nullable()).optional(),
  requestedLimit: z.preprocess((v) => (v === "" ? null : v), monthlyDollars("Requested limit").nullable()).optional(),
});

export type ApplicationInput = z.input<typeof applicationInputSchema>;
export type ApplicationFields = z.output<typeof applicationInputSchema>;

/** Every field's first problem, by field name (empty when the input is fine). */
export function applicationFieldErrors(input: unknown): Record<string, string> {
  const r = applicationInputSchema.safeParse(input);
  if (r.success) return {};
  const out: Record<string, string> = {};
  for (const issue of r.error.issues) out[String(issue.path[0] ?? "body")] ??= issue.message;
  return out;
}
