import { cancelSubscription } from "@/lib/billing/subscriptions/cancel-subscription";
import { getSubscriptionView } from "@/lib/billing/subscriptions/get-subscription-view";
import { subscribeToPlan } from "@/lib/billing/subscriptions/subscribe-to-plan";
import { route } from "@/lib/edge/route";
import { cancelSubscriptionRoute, subscribeRoute, subscriptionRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const CYCLE = { monthly: "MONTHLY", annual: "ANNUAL" } as const;

// Any member sees the plan (read-only without billing:write); the card and next invoice need billing:read (the core).
export const GET = route(subscriptionRoute, { auth: "team", permission: "team:read" }, async ({ db, gatewayIfConfigured, actor }) =>
  getSubscriptionView({ db, gateway: gatewayIfConfigured(), actor }),
);

export const POST = route(subscribeRoute, { auth: "team", permission: "billing:write" }, async ({ db, gateway, appUrl, actor, team, body }) =>
  subscribeToPlan({
    db,
    gateway: gateway(),
    actor,
    team,
    appUrl,
    input: { planId: body.plan, cycle: CYCLE[body.billingCycle], idempotencyKey: body.idempotencyKey, prorationDate: body.prorationDate ?? null, ui: body.ui },
  }),
);

export const DELETE = route(cancelSubscriptionRoute, { auth: "team", permission: "billing:write" }, async ({ db, gateway, actor }) =>
  cancelSubscription({ db, gateway: gateway(), actor }),
);
