import type { Tx } from "../../db/client";

export type BillingDetailsView = {
  companyName: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  country: string | null;
  taxId: string | null;
  billingEmail: string | null;
  updatedAt: Date | null;
};

export const EMPTY_BILLING_DETAILS: BillingDetailsView = {
  companyName: null,
  addressLine1: null,
  addressLine2: null,
  city: null,
  region: null,
  postalCode: null,
  country: null,
  taxId: null,
  billingEmail: null,
  updatedAt: null,
};

/** The team's billing details as invoices print them (all empty when never set). */
export async function getBillingDetails({ db, teamId }: { db: Tx; teamId: string }): Promise<BillingDetailsView> {
  const row = await db.billingDetails.findUnique({ where: { teamId } });
  if (!row) return EMPTY_BILLING_DETAILS;
  const { teamId: _t, updatedAt, ...fields } = row;
  return { ...fields, updatedAt };
}
