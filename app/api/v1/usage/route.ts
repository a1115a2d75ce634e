import { z } from "zod";
import { apiJson, parseWith, readJson, withApiActor } from "@/lib/auth/api-route";
import { BillingError } from "@/lib/billing/errors";
import { MAX_USAGE_EVENTS, MAX_USAGE_QUANTITY, recordUsage, type UsageEventResult } from "@/lib/billing/usage/record-usage";
import { afterDebits } from "@/lib/billing/auto-top-up/trigger-auto-top-up";
import { configuredGateway } from "@/lib/stripe/gateway";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// POST /api/v1/usage — one event, or { events: [...] } with up to 1,000, each charged quantity × the operation's price.
// Answers one result per event, in order: "debited", "duplicate" (the key was seen; charged once) or "rejected" with
// INSUFFICIENT_CREDITS / BUDGET_HARD_CAP_HIT. Status: 200 when any event was debited or a duplicate; 402 when all were
// rejected (a single event body is "all"). Any malformed event makes it 400, naming the field, and nothing is charged.
// Credits are JSON numbers when safe integers, else decimal strings.

const event = z.strictObject({
  idempotency_key: z.string({ error: "must be a string" }).min(1, "must not be empty").max(200, "must be at most 200 characters"),
  operation: z.string({ error: "must be a string" }).min(1, "must not be empty").max(64, "must be at most 64 characters"),
  quantity: z
    .number({ error: "must be a number" })
    .max(MAX_USAGE_QUANTITY, `must be at most ${MAX_USAGE_QUANTITY}`)
    .int("must be a whole number")
    .positive("must be greater than 0"),
  timestamp: z.iso.datetime({ offset: true, error: "must be an ISO 8601 time like 2026-04-01T12:00:00Z" }).optional(),
  metadata: z.record(z.string(), z.unknown(), { error: "must be an object" }).optional(),
});

const batch = z.strictObject({ events: z.array(event, { error: "must be an array of events" }).min(1, "must hold at least one event") });

type Parsed = { events: z.infer<typeof event>[]; single: boolean };

function parseBody(body: unknown): Parsed {
  if (body !== null && typeof body === "object" && !Array.isArray(body) && "events" in body) {
    const events = (body as { events: unknown }).events;
    if (Array.isArray(events) && events.length > MAX_USAGE_EVENTS) {
      throw new BillingError("VALIDATION_FAILED", `events: send at most ${MAX_USAGE_EVENTS} events per request (got ${events.length})`, { field: "events" });
    }
    return { events: parseWith(batch, body).events, single: false };
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new BillingError("VALIDATION_FAILED", "body: send one event object or { \"events\": [...] }", { field: "body" });
  }
  return { events: [parseWith(event, body)], single: true };
}

const shape = (r: UsageEventResult) =>
  r.status === "rejected"
    ? { idempotency_key: r.idempotencyKey, status: r.status, operation: r.operation, quantity: r.quantity, error: r.error }
    : {
        idempotency_key: r.idempotencyKey,
        status: r.status,
        operation: r.operation,
        quantity: r.quantity,
        credits: r.credits,
        entry_id: r.entryId,
        balance_after: r.balanceAfter,
      };

export const POST = withApiActor(
  async ({ req, actor, db }) => {
    const { events, single } = parseBody(await readJson(req));
    const results = await recordUsage({
      db,
      teamId: actor.teamId,
      apiKeyId: actor.kind === "apiKey" ? actor.apiKeyId : null,
      fieldPrefix: single ? "" : "events",
      events: events.map((e) => ({
        idempotencyKey: e.idempotency_key,
        operation: e.operation,
        quantity: e.quantity,
        timestamp: e.timestamp ? new Date(e.timestamp) : undefined,
        metadata: e.metadata,
      })),
    });
    let debited = 0;
    let duplicates = 0;
    let credits = 0n;
    let lowest: bigint | null = null;
    for (const r of results) {
      if (r.status === "debited") {
        debited++;
        credits += r.credits ?? 0n;
        if (lowest === null || r.balanceAfter! < lowest) lowest = r.balanceAfter;
      } else if (r.status === "duplicate") duplicates++;
    }
    // The debits have committed: auto top-up checks (and charges) off this request's path. A refusal for lack of
    // credits also asks (the claim reads the real balance), so a team that ran dry is topped up.
    const dry = results.some((r) => r.error?.code === "INSUFFICIENT_CREDITS");
    void afterDebits({ db, gateway: configuredGateway(), teamId: actor.teamId, lowestBalance: lowest ?? (dry ? -1n : null) });
    const rejected = results.length - debited - duplicates;
    const firstError = results.find((r) => r.error)?.error;
    const allRejected = rejected === results.length;
    return apiJson(
      {
        ...(allRejected && firstError ? { error: firstError } : {}),
        debited,
        duplicates,
        rejected,
        credits_debited: credits,
        results: results.map(shape),
      },
      { status: allRejected ? 402 : 200 },
    );
  },
  { permission: "usage:record" },
);
