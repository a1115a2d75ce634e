import type { Db } from "../../db/client";
import { BillingError } from "../errors";
import { monthlyDollars } from "./application-input";
import { assertNotOwnTeam, dollars, requireText } from "./application-rules";
import { assertHasLine, type LineState, lockLine, readLine, recordLineEvent } from "./line-rules";
import { setCreditLimit } from "./set-credit-limit";

/** A platform admin lowers a team's line (to more than zero; closing is its own action). The floor moves at once. Audit-logged. */
export async function lowerCreditLine({
  db,
  teamId,
  adminUserId,
  limit,
  reason,
}: {
  db: Db;
  teamId: string;
  adminUserId: string;
  limit: unknown;
  reason: unknown;
}): Promise<LineState> {
  const parsed = monthlyDollars("The new limit").safeParse(limit);
  if (!parsed.success) throw new BillingError("VALIDATION_FAILED", parsed.error.issues[0]?.message ?? "Enter the new limit.", { field: "limit" });
  const why = requireText(reason, "reason", "The reason");
  return db.$transaction(async (tx) => {
    const line = await lockLine(tx, teamId);
    assertHasLine(line);
    await assertNotOwnTeam(tx, adminUserId, teamId);
    if (parsed.data >= line.creditLimitCents) {
      throw new BillingError("VALIDATION_FAILED", `The line is ${dollars(line.creditLimitCents)}; a lower limit must be below it.`, { field: "limit" });
    }
    await setCreditLimit({ db: tx, teamId, limitCents: parsed.data, actorUserId: adminUserId, reason: why });
    await recordLineEvent(tx, teamId, adminUserId, "lowered", why, { fromCents: String(line.creditLimitCents), toCents: String(parsed.data) });
    return readLine(tx, teamId);
  });
}
