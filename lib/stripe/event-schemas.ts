import { z } from "zod";
import { OUR_ID, storableText } from "../billing/ids";

// Parts of Stripe event bodies, parsed rather than trusted. Ids, statuses and currencies as Stripe writes them:
// anything else (NUL bytes, spaces, other scripts, absurd lengths) is not Stripe's and is refused before a query.
export const stripeId = z.string().regex(/^[A-Za-z0-9_]{1,255}$/);
export const stripeStatus = z.string().regex(/^[a-z_]{1,64}$/);
export const stripeCurrency = z
  .string()
  .regex(/^[A-Za-z]{3}$/)
  .transform((c) => c.toLowerCase());
export const stripeCents = z
  .number()
  .int()
  .nonnegative()
  .max(Number.MAX_SAFE_INTEGER)
  .transform((n) => BigInt(n));
/** An id, or an expanded object carrying one. */
/** The statement id an invoice we issued carries in metadata.creditdesk_statement (it came back from Stripe: parsed). */
export const statementRef = z.string().regex(/^[A-Za-z0-9_]{1,64}$/);
export const stripeRef = z.union([stripeId, z.object({ id: stripeId }).transform((o) => o.id)]);

const ourId = (v: unknown) => (typeof v === "string" && OUR_ID.test(v) ? v : null);
/** The payment and team ids Creditdesk puts in metadata; anything else in metadata is ignored. */
export const ourMetadata = z
  .record(z.string(), z.unknown())
  .nullish()
  .transform((m) => ({ paymentId: ourId(m?.payment_id), teamId: ourId(m?.team_id) }));

/** Free text from Stripe (an error message), cut to a length and cleaned of what PostgreSQL text cannot hold. */
export const stripeText = (max: number) => z.string().transform((s) => storableText(s, "").slice(0, max));
