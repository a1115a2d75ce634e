import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type Stripe from "stripe";
import { type Emulator, startEmulator } from "../../stripe-emulator/index";
import { resetBillingConfig } from "../../lib/billing/config";
import type { BillingGateway } from "../../lib/billing/gateway";
import { createStripeClient } from "../../lib/stripe/client";
import { stripeGateway } from "../../lib/stripe/gateway";
import { stripeWebhookRoute } from "../../lib/stripe/webhook-route";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { createTopUpCheckout } from "../../lib/billing/topups/create-top-up-checkout";
import { makeTeam } from "../billing/factories";

export type StripeTestEnv = {
  t: TestDatabase;
  emulator: Emulator;
  stripe: Stripe;
  /** The billing core's ports over `stripe`. */
  gateway: BillingGateway;
  /** Where the emulator delivers webhooks: a local server calling the app's route handler. */
  webhookUrl: string;
  control: <T = Record<string, unknown>>(path: string, body?: Record<string, unknown>) => Promise<T>;
  /** Waits until the emulator has delivered every event it emitted. */
  delivered: () => Promise<void>;
  close: () => Promise<void>;
};

/**
 * A fresh database and an in-process Stripe emulator, with the app's environment pointed at both (the real
 * `stripe` SDK, the real webhook route handler), as the launcher does in demo mode.
 */
export async function startStripeTestEnv(): Promise<StripeTestEnv> {
  const t = await createTestDatabase({ max: 30 });
  const emulator = await startEmulator({ port: 0, retryDelaysMs: [50, 100, 200, 400], log: () => {} });
  process.env.DATABASE_URL = t.url;
  process.env.STRIPE_SECRET_KEY = "sk_test_emulator";
  process.env.STRIPE_PUBLISHABLE_KEY = "pk_test_emulator";
  process.env.STRIPE_WEBHOOK_SECRET = emulator.webhookSecret;
  process.env.STRIPE_API_BASE = emulator.url;
  // The app's db() is a lazy process singleton: point it at this test's database.
  (globalThis as { creditdeskDb?: unknown }).creditdeskDb = t.db;
  resetBillingConfig();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      void stripeWebhookRoute(new Request(`http://app.test${req.url ?? "/"}`, { method: "POST", headers, body: Buffer.concat(chunks) })).then(async (r) => {
        res.writeHead(r.status, { "content-type": "application/json" });
        res.end(await r.text());
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/stripe/webhook`;

  const control = async <T>(path: string, body?: Record<string, unknown>): Promise<T> => {
    const res = await fetch(`${emulator.url}/_emulator/${path}`, {
      method: body ? "POST" : "GET",
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`emulator ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  await control("webhook", { url: webhookUrl, secret: emulator.webhookSecret });

  const stripe = createStripeClient({ secretKey: "sk_test_emulator", apiBase: emulator.url });
  return {
    t,
    emulator,
    stripe,
    gateway: stripeGateway(stripe),
    webhookUrl,
    control,
    delivered: async () => {
      await control("delivery/wait", { timeoutMs: 20_000 });
    },
    close: async () => {
      await emulator.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      (globalThis as { creditdeskDb?: unknown }).creditdeskDb = undefined;
      await t.close();
    },
  };
}

/** A signed webhook request for an event body, as Stripe sends it (timestamp overridable for replay tests). */
export function signedWebhookRequest(
  stripe: Stripe,
  secret: string,
  payload: string,
  opts: { timestamp?: number; path?: string; signature?: string } = {},
): Request {
  const signature = opts.signature ?? stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: opts.timestamp });
  return new Request(`http://app.test${opts.path ?? "/api/stripe/webhook"}`, {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": signature },
    body: payload,
  });
}

/** An event envelope around an object, shaped like Stripe's own (fixtures3 "event"). */
export function eventFor(type: string, object: Record<string, unknown>, id = `evt_test_${Math.random().toString(36).slice(2)}`): Record<string, unknown> {
  return {
    id,
    object: "event",
    api_version: "2026-10-28.endive",
    created: Math.floor(Date.now() / 1000),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

/** A new team and an embedded card top-up Checkout of `dollars` for it in the emulator, not yet paid. */
export async function newTeamCheckout(env: StripeTestEnv, dollars: number) {
  const { teamId, slug, userId } = await makeTeam(env.t.db);
  const started = await createTopUpCheckout({
    db: env.t.db,
    gateway: env.gateway,
    team: { id: teamId, slug, stripeCustomerId: null },
    actorUserId: null,
    input: { amount: String(dollars), method: "card" },
    ui: "embedded",
    appUrl: "http://app.test",
  });
  return { teamId, slug, userId, sessionId: started.sessionId, paymentId: started.payment.id };
}
