import { z } from "zod";
import { isStorableText } from "../../auth/input-text";
import { withoutDigitGroups } from "../amount-text";

// The Enterprise request form's fields, checked the same way in the browser (every field's error at once) and in the
// core (the authority). Client-safe: zod only; the browser loads it when the form is sent (limits: plan-request-limits.ts).

export { PLAN_REQUEST_LIMITS } from "./plan-request-limits";
import { PLAN_REQUEST_LIMITS } from "./plan-request-limits";

// Printable text: no NUL or other control characters (a message may keep line breaks and tabs).
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LINE_BREAK = /[\r\n\t]/;
const clean = (multiline: boolean) => (s: string) => isStorableText(s) && !CONTROL.test(s) && (multiline || !LINE_BREAK.test(s));

const text = (label: string, max: number, multiline = false) =>
  z
    .string({ error: `${label} is required` })
    .max(max * 4, `${label} must be at most ${max} characters`)
    .refine(clean(multiline), `${label} must not contain control characters`)
    .transform((s) => s.trim())
    .pipe(z.string().max(max, `${label} must be at most ${max} characters`));

export const planRequestInputSchema = z.object({
  company: text("Company", PLAN_REQUEST_LIMITS.company).pipe(z.string().min(1, "Enter the company name")),
  contactEmail: text("Contact email", PLAN_REQUEST_LIMITS.email).pipe(z.email("Enter a valid email address")),
  expectedMonthlyCredits: z
    .union([z.string(), z.number()], { error: "Enter the expected monthly usage in credits" })
    .transform((v) => (typeof v === "number" ? String(v) : withoutDigitGroups(v.trim())))
    .pipe(z.string().regex(/^\d{1,16}$/, "Enter the expected monthly usage as a whole number of credits"))
    .transform((v) => BigInt(v))
    .pipe(z.bigint().min(1n, "Expected monthly usage must be at least 1 credit").max(PLAN_REQUEST_LIMITS.credits, "Expected monthly usage is too large")),
  message: z
    .string({ error: "Message must be text" })
    .nullish()
    .transform((v) => v ?? "")
    .pipe(text("Message", PLAN_REQUEST_LIMITS.message, true)),
});

export type PlanRequestInput = z.input<typeof planRequestInputSchema>;
export type PlanRequestFields = z.output<typeof planRequestInputSchema>;

/** Every field's first problem, by field name (empty when the input is fine). */
export function planRequestFieldErrors(input: unknown): Record<string, string> {
  const r = planRequestInputSchema.safeParse(input);
  if (r.success) return {};
  const out: Record<string, string> = {};
  for (const issue of r.error.issues) {
    const field = String(issue.path[0] ?? "body");
    out[field] ??= issue.message;
  }
  return out;
}
