import type { Db } from "../../db/client";
import { BillingError, isUniqueViolation } from "../errors";
import { type PlanRequestView, planRequestView } from "./plan-request-view";
import { type PlanRequestInput, planRequestInputSchema } from "./plan-request-input";

/** Requests one team may make in a day (each declined one frees the slot for another): enough to fix a typo, not to spam. */
export const PLAN_REQUESTS_PER_DAY = 5;
const DAY_MS = 86_400_000;

/**
 * A team's owner or billing member asks for Enterprise; platform admins see it in /admin. At most one open request per
 * team: a second one is CONFLICT (also when two arrive at once: a partial unique index decides), and at most
 * PLAN_REQUESTS_PER_DAY per team in a day. The caller has checked the actor's role (billing:write). Audit-logged.
 */
export async function requestEnterprisePlan({
  db,
  teamId,
  requesterUserId,
  input,
  now = new Date(),
}: {
  db: Db;
  teamId: string;
  requesterUserId: string;
  input: PlanRequestInput;
  now?: Date;
}): Promise<PlanRequestView> {
  const parsed = planRequestInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? "body");
    throw new BillingError("VALIDATION_FAILED", issue?.message ?? "The request is not valid.", { field });
  }
  const v = parsed.data;
  try {
    return await db.$transaction(async (tx) => {
      // Serialises one team's submits, so the daily count below cannot be raced past.
      await tx.$queryRawUnsafe(`SELECT id FROM teams WHERE id = $1 FOR UPDATE`, teamId);
      const open = await tx.planRequest.findFirst({ where: { teamId, status: "OPEN" }, select: { id: true } });
      if (open) throw alreadyOpen();
      const recent = await tx.planRequest.count({ where: { teamId, createdAt: { gt: new Date(now.getTime() - DAY_MS) } } });
      if (recent >= PLAN_REQUESTS_PER_DAY) {
        throw new BillingError("RATE_LIMITED", "This team has sent enough Enterprise requests today. Try again tomorrow.", { retryAfterSeconds: 86_400 });
      }
      const row = await tx.planRequest.create({
        data: {
          teamId,
          requesterUserId,
          company: v.company,
          contactEmail: v.contactEmail,
          expectedMonthlyCredits: v.expectedMonthlyCredits,
          message: v.message,
          createdAt: now,
          updatedAt: now,
        },
        include: VIEW_INCLUDE,
      });
      await tx.auditLog.create({
        data: {
          teamId,
          actorUserId: requesterUserId,
          action: "plan_request.created",
          targetType: "plan_request",
          targetId: row.id,
          data: { company: v.company },
        },
      });
      return planRequestView(row);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw alreadyOpen();
    throw e;
  }
}

const alreadyOpen = () => new BillingError("CONFLICT", "This team already has an open Enterprise request; we will be in touch about it.");

const VIEW_INCLUDE = { plan: { select: { id: true, name: true } } } as const;
