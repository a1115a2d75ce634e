import { db } from "../db/client";
import { toRefusal } from "../edge/error-record";
import { errorResponse } from "../edge/route";
import { handleStripeWebhook } from "./handle-webhook";
import { stripeClient, stripeSettings } from "./client";

/** Larger than any event Stripe sends; a bigger body is refused before it is read whole. */
export const MAX_WEBHOOK_BYTES = 1024 * 1024;

/** The raw body as text, or null when it is larger than `limit` bytes. */
async function readLimited(req: Request, limit: number): Promise<string | null> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > limit) return null;
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The route handler behind /api/stripe/webhook and /api/v1/billing/stripe_webhook: its own door (Stripe signs the raw
 * body, there is no actor), answering refusals with the one error record as every route does.
 */
export async function stripeWebhookRoute(req: Request): Promise<Response> {
  const settings = stripeSettings();
  if (!settings) return errorResponse(503, { code: "NOT_CONFIGURED", message: "Stripe is not configured." });
  const rawBody = await readLimited(req, MAX_WEBHOOK_BYTES);
  if (rawBody === null) return errorResponse(413, { code: "PAYLOAD_TOO_LARGE", message: "The webhook body is too large." });
  try {
    const r = await handleStripeWebhook({
      db: db(),
      stripe: stripeClient(),
      rawBody,
      signature: req.headers.get("stripe-signature"),
      secret: settings.webhookSecret,
    });
    return Response.json(r.body, { status: r.status, headers: { "cache-control": "no-store" } });
  } catch (e) {
    // Not even the failure could be kept (the database is down): a 5xx with the error record, so Stripe retries.
    const r = toRefusal(e);
    return errorResponse(r.status >= 500 ? r.status : 500, r.error, r.headers);
  }
}
