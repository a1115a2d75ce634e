import { db } from "../db/client";
import { handleStripeWebhook } from "./handle-webhook";
import { stripeClient, stripeSettings } from "./client";

/** The route handler behind /api/stripe/webhook and /api/v1/billing/stripe_webhook. */
export async function stripeWebhookRoute(req: Request): Promise<Response> {
  const settings = stripeSettings();
  if (!settings) return Response.json({ error: { code: "NOT_CONFIGURED", message: "Stripe is not configured." } }, { status: 503 });
  const rawBody = await req.text();
  const r = await handleStripeWebhook({
    db: db(),
    stripe: stripeClient(),
    rawBody,
    signature: req.headers.get("stripe-signature"),
    secret: settings.webhookSecret,
  });
  return Response.json(r.body, { status: r.status, headers: { "cache-control": "no-store" } });
}
