import type { Tx } from "../../db/client";
import type { Prisma } from "../../db/generated/client";

/** What every credit or take-back entry carries besides its kind (creditCredits, takeCredits, clawbackCredits). */
export type LedgerWriteInput = {
  db: Tx;
  teamId: string;
  /** Credits, > 0; the entry's sign comes from the function. */
  amount: bigint;
  /** Unique per team across all ledger entries; a repeat returns the first entry and writes nothing. */
  idempotencyKey: string;
  paymentId?: string | null;
  actorUserId?: string | null;
  referenceType?: string | null;
  referenceId?: string | null;
  description?: string | null;
  metadata?: Prisma.InputJsonValue | null;
  occurredAt?: Date;
};
