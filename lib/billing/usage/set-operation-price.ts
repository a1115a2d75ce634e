import type { Tx } from "../../db/client";
import type { OperationPrice } from "../../db/generated/client";
import { BillingError } from "../errors";
import { getPriceTable } from "./price-table";

const OPERATION = /^[a-z0-9][a-z0-9_.:-]{0,63}$/;

/** Adds or changes an operation's price (credits per unit), or deactivates it. Other processes see it within PRICE_CACHE_MS. */
export async function setOperationPrice({
  db,
  operation,
  creditsPerUnit,
  description,
  active = true,
}: {
  db: Tx;
  operation: string;
  creditsPerUnit: bigint;
  description?: string | null;
  active?: boolean;
}): Promise<OperationPrice> {
  if (!OPERATION.test(operation))
    throw new BillingError("VALIDATION_FAILED", "operation must be 1 to 64 lower-case letters, digits or _.:-", { field: "operation" });
  if (typeof creditsPerUnit !== "bigint" || creditsPerUnit < 0n || creditsPerUnit > 1_000_000_000_000n) {
    throw new BillingError("VALIDATION_FAILED", "creditsPerUnit must be from 0 to 10^12", { field: "creditsPerUnit" });
  }
  const row = await db.operationPrice.upsert({
    where: { operation },
    create: { operation, creditsPerUnit, description: description ?? null, active },
    update: { creditsPerUnit, active, ...(description !== undefined ? { description } : {}) },
  });
  await getPriceTable({ db, force: true });
  return row;
}
