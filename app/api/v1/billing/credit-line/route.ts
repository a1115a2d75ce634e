import { getCreditLine } from "@/lib/billing/credit-lines/get-credit-line";
import { route } from "@/lib/edge/route";
import { v1CreditLineRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(v1CreditLineRoute, { auth: "api", permission: "billing:read" }, async ({ db, actor }) => {
  const { line, application } = await getCreditLine({ db, teamId: actor.teamId });
  return {
    status: line.limitCents === 0n ? ("none" as const) : line.suspended ? ("suspended" as const) : ("active" as const),
    limit_cents: line.limitCents,
    drawn_cents: line.drawnCents,
    available_cents: line.availableCents,
    next_statement_at: line.nextStatementAt,
    application_status: application?.status ?? null,
  };
});
