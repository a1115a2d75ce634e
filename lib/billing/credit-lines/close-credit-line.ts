import type { Db } from "../../db/client";
import { assertNotOwnTeam, requireText } from "./application-rules";
import { assertHasLine, type LineState, lockLine, readLine, recordLineEvent } from "./line-rules";
import { setCreditLimit } from "./set-credit-limit";

/**
 * A platform admin closes a team's line: the limit becomes 0 at once, so nothing more can be drawn. What was drawn is
 * still billed on the next statement; prepaid credits (a guarantee deposit among them) stay on the balance, spendable,
 * and are not refunded by closing. Audit-logged.
 */
export async function closeCreditLine({
  db,
  teamId,
  adminUserId,
  reason,
}: {
  db: Db;
  teamId: string;
  adminUserId: string;
  reason: unknown;
}): Promise<LineState> {
  const why = requireText(reason, "reason", "The reason");
  return db.$transaction(async (tx) => {
    const line = await lockLine(tx, teamId);
    assertHasLine(line);
    await assertNotOwnTeam(tx, adminUserId, teamId);
    await setCreditLimit({ db: tx, teamId, limitCents: 0n, actorUserId: adminUserId, reason: why });
    await recordLineEvent(tx, teamId, adminUserId, "closed", why, { fromCents: String(line.creditLimitCents) });
    return readLine(tx, teamId);
  });
}
