import { stripeWebhookRoute } from "@/lib/stripe/webhook-route";

// The seeds' path for the same endpoint.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = stripeWebhookRoute;
