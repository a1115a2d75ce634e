import { createHash } from "node:crypto";
import type Stripe from "stripe";
import { z } from "zod";
import { storableText } from "../billing/ids";

/** Deeper than any object Stripe sends (its deepest are under 10 levels); anything deeper is not Stripe's. */
const MAX_DEPTH = 32;

// What Stripe's event ids and types look like; anything else is not Stripe's.
const EVENT_ID = /^evt_[A-Za-z0-9_]{1,250}$/;
const EVENT_TYPE = /^[a-z0-9_.]{1,100}$/;

const envelope = z.object({
  id: z.string().regex(EVENT_ID),
  type: z.string().regex(EVENT_TYPE),
  livemode: z.boolean().optional(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

/** A verified event whose body a handler cannot read: no retry will mend it, so it is kept and answered 2xx. */
export class MalformedEventError extends Error {
  constructor(what: string) {
    super(`The event's ${what} is malformed.`);
    this.name = "MalformedEventError";
  }
}

export type ReadEvent = { ok: true; event: Stripe.Event } | { ok: false; failureId: string; type: string | null; error: string };

function depthOf(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (d > max) max = d;
    if (max > MAX_DEPTH) return max;
    if (v !== null && typeof v === "object") for (const child of Object.values(v)) if (child !== null && typeof child === "object") stack.push([child, d + 1]);
  }
  return max;
}

/** Strings PostgreSQL cannot hold (NUL, lone surrogates) made storable, keys included; only for the kept copy. */
function storable(value: unknown): unknown {
  if (typeof value === "string") return storableText(value);
  if (Array.isArray(value)) return value.map(storable);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [storable(k) as string, storable(v)]));
  return value;
}

/**
 * Reads a verified webhook body into an event, or says why it is not one: not JSON, absurdly nested, no data, or
 * an id or type that is not Stripe's (NUL bytes, other characters). What is kept of a good event is storable.
 */
export function readStripeEvent(rawBody: string): ReadEvent {
  const bodyId = `bad_${createHash("sha256").update(rawBody).digest("hex").slice(0, 40)}`;
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { ok: false, failureId: bodyId, type: null, error: "The body is not JSON." };
  }
  const rawId = (json as { id?: unknown } | null)?.id;
  const rawType = (json as { type?: unknown } | null)?.type;
  const id = typeof rawId === "string" && EVENT_ID.test(rawId) ? rawId : bodyId;
  const type = typeof rawType === "string" && EVENT_TYPE.test(rawType) ? rawType : null;
  if (depthOf(json) > MAX_DEPTH) return { ok: false, failureId: id, type, error: `The event is nested deeper than ${MAX_DEPTH} levels.` };
  const parsed = envelope.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, failureId: id, type, error: `The event is malformed: ${issue?.path.join(".") || "body"} ${issue?.message ?? "is invalid"}.` };
  }
  return { ok: true, event: storable(json) as Stripe.Event };
}
