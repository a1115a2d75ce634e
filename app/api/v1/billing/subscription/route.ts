import { readSeedSubscription } from "@/lib/billing/subscriptions/api-subscription";
import { cancelSubscription } from "@/lib/billing/subscriptions/cancel-subscription";
import { route } from "@/lib/edge/route";
import { seedAnswer } from "../subscribe/seed-answer";
import { v1CancelSubscriptionRoute, v1SubscriptionRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(v1SubscriptionRoute, { auth: "api", permission: "billing:read" }, async ({ db, actor }) =>
  seedAnswer(await readSeedSubscription({ db, actor })),
);

export const DELETE = route(v1CancelSubscriptionRoute, { auth: "api", permission: "billing:write" }, async ({ db, gateway, actor }) => {
  await cancelSubscription({ db, gateway: gateway(), actor });
  return { status: "cancelled" as const };
});
