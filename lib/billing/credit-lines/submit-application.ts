import type { Db, Tx } from "../../db/client";
import type { CreditLineApplication } from "../../db/generated/client";
import { billingConfig, type BillingConfig } from "../config";
import { BillingError, isUniqueViolation } from "../errors";
import { dollars, OPEN_STATUSES, parseApplication, recordEvent } from "./application-rules";
import { assertHealthyCycles } from "./healthy-cycles";
import { sendConfirmationEmail } from "./send-confirmation-email";

/**
 * A team's owner or billing member applies (the caller checked billing:write). A team with a line applies for an
 * INCREASE, only above its current limit and after CREDIT_LINE_HEALTHY_CYCLES statements paid on time. Enterprise
 * applications wait (AWAITING_EMAIL) until the company address follows the emailed link; the others go to the queue.
 * A request at or above CREDIT_LINE_GUARANTEE_CENTS carries a guarantee of the requested amount. One open application
 * per team (CONFLICT). Audit-logged.
 */
export async function submitApplication({
  db,
  teamId,
  actorUserId,
  input,
  appUrl,
  now = new Date(),
  config = billingConfig(),
}: {
  db: Db;
  teamId: string;
  actorUserId: string;
  input: unknown;
  appUrl: string;
  now?: Date;
  config?: BillingConfig;
}): Promise<CreditLineApplication> {
  const v = parseApplication(input);
  try {
    return await db.$transaction(async (tx) => {
      const team = await lockTeam(tx, teamId);
      const open = await tx.creditLineApplication.findFirst({ where: { teamId, status: { in: [...OPEN_STATUSES] } }, select: { id: true } });
      if (open) throw alreadyOpen();
      const kind = team.credit_limit_cents > 0n ? "INCREASE" : "NEW";
      if (kind === "INCREASE") await assertIncreaseAllowed(tx, teamId, team.credit_limit_cents, v.requestedLimit, config);
      const status = v.applicantType === "ENTERPRISE" ? "AWAITING_EMAIL" : "SUBMITTED";
      const data = {
        kind,
        applicantType: v.applicantType,
        applicantUserId: actorUserId,
        companyName: v.companyName,
        website: v.website,
        productInfo: v.productInfo,
        businessUseCase: v.businessUseCase,
        appLink: v.appLink,
        otherMaterials: v.otherMaterials,
        contactEmail: v.contactEmail,
        expectedUsageCents: v.expectedUsage,
        requestedLimitCents: v.requestedLimit,
        guaranteeCents: v.requestedLimit >= config.creditLine.guaranteeCents ? v.requestedLimit : 0n,
        status,
        submittedAt: now,
      } as const;
      const draft = await tx.creditLineApplication.findFirst({ where: { teamId, status: "DRAFT" }, orderBy: { createdAt: "desc" } });
      const app = draft
        ? await tx.creditLineApplication.update({ where: { id: draft.id }, data: { ...data, updatedAt: now } })
        : await tx.creditLineApplication.create({ data: { teamId, ...data, createdAt: now, updatedAt: now } });
      await recordEvent(
        tx,
        { ...app, status: draft ? "DRAFT" : app.status },
        {
          actorUserId,
          action: "submitted",
          to: status,
          data: { kind, applicantType: v.applicantType, requestedLimitCents: String(v.requestedLimit) },
        },
      );
      if (status === "AWAITING_EMAIL") return sendConfirmationEmail(tx, app, { appUrl, now, config });
      return app;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw alreadyOpen();
    throw e;
  }
}

async function lockTeam(tx: Tx, teamId: string): Promise<{ credit_limit_cents: bigint }> {
  const rows = await tx.$queryRawUnsafe<{ credit_limit_cents: bigint }[]>(`SELECT credit_limit_cents FROM teams WHERE id = $1 FOR UPDATE`, teamId);
  if (!rows[0]) throw new BillingError("NOT_FOUND", "That team does not exist.");
  return { credit_limit_cents: BigInt(rows[0].credit_limit_cents) };
}

async function assertIncreaseAllowed(tx: Tx, teamId: string, currentCents: bigint, requestedCents: bigint, config: BillingConfig): Promise<void> {
  if (requestedCents <= currentCents) {
    throw new BillingError("VALIDATION_FAILED", `Your line is already ${dollars(currentCents)} a month; ask for more than that.`, { field: "requestedLimit" });
  }
  await assertHealthyCycles(tx, teamId, config.creditLine.healthyCycles, "submit");
}

const alreadyOpen = () => new BillingError("CONFLICT", "This team already has a credit-line application under way. Answer or withdraw it first.");
