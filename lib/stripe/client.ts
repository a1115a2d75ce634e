import Stripe from "stripe";
import { BillingError } from "../billing/errors";

export type StripeSettings = {
  secretKey: string;
  publishableKey: string | null;
  webhookSecret: string | null;
  /** The Stripe emulator's URL in the demo and tests; unset for the real Stripe. */
  apiBase: string | null;
};

/** Stripe settings from the environment, or null when Stripe is not configured. */
export function stripeSettings(source: Record<string, string | undefined> = process.env): StripeSettings | null {
  const secretKey = source.STRIPE_SECRET_KEY?.trim();
  if (!secretKey) return null;
  return {
    secretKey,
    publishableKey: source.STRIPE_PUBLISHABLE_KEY?.trim() || null,
    webhookSecret: source.STRIPE_WEBHOOK_SECRET?.trim() || null,
    apiBase: source.STRIPE_API_BASE?.trim() || null,
  };
}

/** An SDK client; with apiBase it talks to that server (the emulator) instead of api.stripe.com. */
export function createStripeClient(settings: Pick<StripeSettings, "secretKey" | "apiBase">): Stripe {
  const base = settings.apiBase ? new URL(settings.apiBase) : null;
  return new Stripe(settings.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
    appInfo: { name: "Creditdesk" },
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === "https:" ? 443 : 80),
          protocol: base.protocol.replace(":", "") as "http" | "https",
        }
      : {}),
  });
}

const g = globalThis as unknown as { creditdeskStripe?: { key: string; client: Stripe } };

/** The process's client from the environment; STRIPE_UNAVAILABLE when Stripe is not configured. */
export function stripeClient(): Stripe {
  const s = stripeSettings();
  if (!s) throw new BillingError("STRIPE_UNAVAILABLE", "Payments are not set up on this installation (STRIPE_SECRET_KEY is not set).");
  const key = `${s.secretKey}|${s.apiBase ?? ""}`;
  if (g.creditdeskStripe?.key !== key) g.creditdeskStripe = { key, client: createStripeClient(s) };
  return g.creditdeskStripe.client;
}

/**
 * Runs a Stripe call and turns SDK failures into STRIPE_UNAVAILABLE with a message a person can act on
 * (the SDK has already retried connection errors and 5xx twice).
 */
export async function callStripe<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toBillingError(what, e);
  }
}

type StripeErrorClasses = {
  [
    K in keyof typeof Stripe.errors as (typeof Stripe.errors)[K] extends abstract new (...args: never) => unknown ? K : never
  ]: (typeof Stripe.errors)[K] extends abstract new (...args: never) => unknown ? (typeof Stripe.errors)[K] : never;
};

/**
 * Whether `e` is the Stripe SDK's error of that kind (StripeError for any). By the SDK's own `type` name rather than
 * instanceof: a production bundle can hold two copies of the SDK (seen: Buy Credit's route got its card error from
 * another chunk's copy, so `instanceof Stripe.errors.StripeCardError` was false and a 3-D Secure purchase failed).
 */
export function isStripeError<K extends keyof StripeErrorClasses>(e: unknown, kind: K): e is InstanceType<StripeErrorClasses[K]> {
  if (typeof e !== "object" || e === null || !("raw" in e)) return false;
  const type = (e as { type?: unknown }).type;
  if (typeof type !== "string" || !type.startsWith("Stripe")) return false;
  return kind === "StripeError" || type === kind;
}

export function toBillingError(what: string, e: unknown): unknown {
  if (!isStripeError(e, "StripeError")) return e;
  // By name (isStripeError): the kinds below share one shape, so type guards would narrow the others away.
  const kind: string = e.type;
  console.error(`[creditdesk] Stripe ${what} failed: ${kind} ${e.statusCode ?? ""} ${e.code ?? ""} ${e.message}`);
  if (kind === "StripeConnectionError" || kind === "StripeAPIError" || kind === "StripeRateLimitError") {
    return new BillingError("STRIPE_UNAVAILABLE", "We could not reach our payment provider. Nothing was charged; please try again in a minute.", {
      stripeCode: e.code,
    });
  }
  if (kind === "StripeIdempotencyError") {
    // Our keys name one attempt (e.g. a team's next subscription): another request is making it with other details.
    return new BillingError("CONFLICT", "Another change to this was just made with different details. Reload the page and try again.", {
      stripeCode: e.code,
    });
  }
  if (kind === "StripeAuthenticationError" || kind === "StripePermissionError") {
    return new BillingError("STRIPE_UNAVAILABLE", "Payments are misconfigured on this installation. Nothing was charged; please tell the operator.", {
      stripeCode: e.code,
    });
  }
  return new BillingError("STRIPE_UNAVAILABLE", `Our payment provider refused the request: ${e.message}. Nothing was charged.`, { stripeCode: e.code });
}
