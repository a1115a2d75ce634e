import { CONTROL_CHARACTERS } from "../../auth/input-text";
import type { Tx } from "../../db/client";
import { BillingError } from "../errors";
import { withTx } from "../with-tx";
import { type BillingDetailsView, getBillingDetails } from "./get-billing-details";

export type BillingDetailsInput = Partial<Record<Exclude<keyof BillingDetailsView, "updatedAt">, string | null>>;

const LIMITS: Record<keyof BillingDetailsInput, { max: number; label: string }> = {
  companyName: { max: 200, label: "Company" },
  addressLine1: { max: 200, label: "Address line 1" },
  addressLine2: { max: 200, label: "Address line 2" },
  city: { max: 100, label: "City" },
  region: { max: 100, label: "State or region" },
  postalCode: { max: 20, label: "Postal code" },
  country: { max: 60, label: "Country" },
  taxId: { max: 50, label: "Tax ID" },
  billingEmail: { max: 254, label: "Billing email" },
};
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// Control characters (CONTROL_CHARACTERS) would corrupt the PDF layout and the CSV; the text itself is kept as typed,
// markup included: pages render it as text and the PDF draws it as text.

/**
 * Replaces the team's billing details (what invoices print). Each field is optional, trimmed, length-limited and free
 * of control characters; the billing email must be an address. Audit-logged with the fields that changed.
 */
export async function setBillingDetails({
  db,
  teamId,
  actorUserId,
  input,
}: {
  db: Tx;
  teamId: string;
  actorUserId: string | null;
  input: BillingDetailsInput;
}): Promise<BillingDetailsView> {
  const data = {} as Record<keyof BillingDetailsInput, string | null>;
  for (const [field, limit] of Object.entries(LIMITS) as [keyof BillingDetailsInput, { max: number; label: string }][]) {
    const raw = input[field];
    if (raw !== undefined && raw !== null && typeof raw !== "string") throw new BillingError("VALIDATION_FAILED", `${limit.label} must be text.`, { field });
    const value = raw?.trim() ?? "";
    if (value.length > limit.max) throw new BillingError("VALIDATION_FAILED", `${limit.label} must be at most ${limit.max} characters.`, { field });
    if (CONTROL_CHARACTERS.test(value))
      throw new BillingError("VALIDATION_FAILED", `${limit.label} must be a single line without control characters.`, { field });
    data[field] = value === "" ? null : value;
  }
  if (data.billingEmail !== null && !EMAIL.test(data.billingEmail))
    throw new BillingError("VALIDATION_FAILED", "Billing email must be an email address.", { field: "billingEmail" });
  return withTx(db, async (tx) => {
    const before = await getBillingDetails({ db: tx, teamId });
    await tx.billingDetails.upsert({ where: { teamId }, create: { teamId, ...data }, update: data });
    const changed = (Object.keys(data) as (keyof BillingDetailsInput)[]).filter((k) => before[k] !== data[k]);
    await tx.auditLog.create({ data: { teamId, actorUserId, action: "billing_details.updated", targetType: "team", targetId: teamId, data: { changed } } });
    return getBillingDetails({ db: tx, teamId });
  });
}
