import { z } from "zod";
import { fieldPath } from "../auth/input-text";
import { type BillingErrorCode, errorStatus, isBillingError } from "../billing/errors";

// The one error record of every edge: a route answers `{ error: ErrorRecord }` with its HTTP status, a server
// action `{ ok: false, error: ErrorRecord }`, the Stripe webhook `{ error: ErrorRecord }`. Client-safe.

export type ErrorCode = BillingErrorCode | "INTERNAL" | "NETWORK" | "NOT_CONFIGURED" | "PAYLOAD_TOO_LARGE";
export type ErrorRecord = { code: ErrorCode; message: string; field?: string };
export type Refusal = { status: number; error: ErrorRecord; headers?: Record<string, string> };

export const INTERNAL_MESSAGE = "Something went wrong on our side. Nothing was charged twice; please try again.";

/** The first issue of a failed zod parse: its path is the field ("events[3].quantity"), an unknown key named itself. */
export function zodErrorRecord(error: z.ZodError, prefix = ""): ErrorRecord {
  const issue = error.issues[0];
  const keys = issue?.code === "unrecognized_keys" ? issue.keys.slice(0, 1) : [];
  const field = `${prefix}${prefix && issue?.path.length ? "." : ""}${fieldPath([...(issue?.path ?? []), ...keys])}` || "body";
  const message = issue?.code === "unrecognized_keys" ? "is not a known field" : (issue?.message ?? "is not valid");
  return { code: "VALIDATION_FAILED", message: `${field}: ${message}`, field };
}

/**
 * Any thrown value as the answer it deserves: a BillingError keeps its code, status, field and Retry-After; a zod
 * error is a 400 naming the field; anything else is a 500 that says nothing of our internals (and is logged).
 */
export function toRefusal(e: unknown): Refusal {
  if (isBillingError(e)) {
    const field = typeof e.details?.field === "string" ? e.details.field : undefined;
    const s = e.details?.retryAfterSeconds;
    const retry = typeof s === "number" && Number.isInteger(s) && s > 0 ? { "retry-after": String(s) } : undefined;
    const auth = e.code === "UNAUTHENTICATED" && e.details?.bearer ? { "www-authenticate": 'Bearer realm="creditdesk"' } : undefined;
    const headers = retry || auth ? { ...retry, ...auth } : undefined;
    return { status: e.status, error: { code: e.code, message: e.message, ...(field ? { field } : {}) }, ...(headers ? { headers } : {}) };
  }
  if (e instanceof z.ZodError) return { status: errorStatus.VALIDATION_FAILED, error: zodErrorRecord(e) };
  console.error("edge: unexpected failure", e);
  return { status: 500, error: { code: "INTERNAL", message: INTERNAL_MESSAGE } };
}
