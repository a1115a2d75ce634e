import { recordUsageRequest, type UsageEventResult } from "@/lib/billing/usage/record-usage-request";
import { reply, route } from "@/lib/edge/route";
import { recordUsageRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// Each result is "debited", "duplicate" (the key was seen; charged once) or "rejected" with INSUFFICIENT_CREDITS /
// BUDGET_HARD_CAP_HIT / SUBSCRIPTION_UNPAID (a failed renewal past its grace period, SUBSCRIPTION_GRACE_DAYS). A single
// event body that is rejected is "all rejected": 402.

const shape = (r: UsageEventResult) =>
  r.status === "rejected"
    ? { idempotency_key: r.idempotencyKey, status: r.status, operation: r.operation, quantity: r.quantity, error: r.error! }
    : {
        idempotency_key: r.idempotencyKey,
        status: r.status,
        operation: r.operation,
        quantity: r.quantity,
        credits: r.credits,
        entry_id: r.entryId,
        balance_after: r.balanceAfter,
      };

export const POST = route(recordUsageRoute, { auth: "api", permission: "usage:record" }, async ({ db, actor, body, gatewayIfConfigured }) => {
  const events = body.events.map((e) => ({
    idempotencyKey: e.idempotency_key,
    operation: e.operation,
    quantity: e.quantity,
    timestamp: e.timestamp,
    metadata: e.metadata,
  }));
  const o = await recordUsageRequest({ db, actor, events, single: body.single, gateway: gatewayIfConfigured() });
  const answer = {
    ...(o.refusal ? { error: o.refusal } : {}),
    debited: o.debited,
    duplicates: o.duplicates,
    rejected: o.rejected,
    credits_debited: o.creditsDebited,
    results: o.results.map(shape),
  };
  return reply(answer, { status: o.refusal ? 402 : 200 });
});
