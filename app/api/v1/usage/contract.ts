import { z } from "zod";
import { defineRoute, money } from "@/lib/edge/contract";
import { MAX_USAGE_EVENTS, MAX_USAGE_QUANTITY } from "@/lib/billing/usage/limits";

// POST /api/v1/usage: one event, or { events: [...] } with up to 1,000, each charged quantity × the operation's price.
// Any malformed event makes it 400, naming the field ("quantity" for a single event, "events[3].quantity" in a
// batch), and nothing is charged. Answers one result per event, in order (see the route).

export const usageEvent = z.strictObject({
  idempotency_key: z.string({ error: "must be a string" }).min(1, "must not be empty").max(200, "must be at most 200 characters"),
  operation: z.string({ error: "must be a string" }).min(1, "must not be empty").max(64, "must be at most 64 characters"),
  quantity: z
    .number({ error: "must be a number" })
    .max(MAX_USAGE_QUANTITY, `must be at most ${MAX_USAGE_QUANTITY}`)
    .int("must be a whole number")
    .positive("must be greater than 0"),
  timestamp: z.iso
    .datetime({ offset: true, error: "must be an ISO 8601 time like 2026-04-01T12:00:00Z" })
    .transform((s) => new Date(s))
    .optional(),
  metadata: z.record(z.string(), z.unknown(), { error: "must be an object" }).optional(),
});

export const usageBatch = z.strictObject({ events: z.array(usageEvent, { error: "must be an array of events" }).min(1, "must hold at least one event") });

export type UsageEventInput = z.input<typeof usageEvent>;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * The metadata as sent, once it passed as an object: z.record rebuilds it by assignment, which makes a "__proto__" key
 * the copy's prototype, so that key would be dropped from what is stored while the event is still debited.
 */
const sentMetadata = (event: z.output<typeof usageEvent>, sent: unknown) =>
  event.metadata === undefined ? event : { ...event, metadata: (sent as { metadata: Record<string, unknown> }).metadata };

/** One event or a batch, told apart by an `events` key; the oversized batch is refused before its events are read. */
const usageBody = z.custom<UsageEventInput | { events: UsageEventInput[] }>().transform((body, ctx) => {
  const take = <S extends z.ZodType>(schema: S, value: unknown): z.output<S> | typeof z.NEVER => {
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    // The issues as they are, paths and all: the pipeline names the field from the first one.
    ctx.issues.push(...r.error.issues.map((issue) => ({ ...issue, input: value }) as z.core.$ZodRawIssue));
    return z.NEVER;
  };
  if (isObject(body) && "events" in body) {
    const events = body.events;
    if (Array.isArray(events) && events.length > MAX_USAGE_EVENTS) {
      ctx.addIssue({ code: "custom", path: ["events"], message: `send at most ${MAX_USAGE_EVENTS} events per request (got ${events.length})` });
      return z.NEVER;
    }
    const batch = take(usageBatch, body);
    return batch === z.NEVER ? z.NEVER : { events: batch.events.map((e, i) => sentMetadata(e, (events as unknown[])[i])), single: false };
  }
  if (!isObject(body)) {
    ctx.addIssue({ code: "custom", path: [], message: 'send one event object or { "events": [...] }' });
    return z.NEVER;
  }
  const event = take(usageEvent, body);
  return event === z.NEVER ? z.NEVER : { events: [sentMetadata(event, body)], single: true };
});

const result = z.discriminatedUnion("status", [
  z.object({
    idempotency_key: z.string(),
    status: z.literal("rejected"),
    operation: z.string(),
    quantity: money(),
    error: z.object({ code: z.string(), message: z.string() }),
  }),
  z.object({
    idempotency_key: z.string(),
    status: z.enum(["debited", "duplicate"]),
    operation: z.string(),
    quantity: money(),
    credits: money().nullable(),
    entry_id: z.string().nullable(),
    balance_after: money().nullable(),
  }),
]);

/** 200 when any event was debited or a duplicate; 402 (with the first rejection as `error`) when all were rejected. */
export const recordUsageRoute = defineRoute({
  method: "POST",
  path: "/api/v1/usage",
  body: usageBody,
  output: z.object({
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    debited: z.number(),
    duplicates: z.number(),
    rejected: z.number(),
    credits_debited: money(),
    results: z.array(result),
  }),
});
