import type { subscriptionRoute } from "@/app/api/teams/[team]/subscription/contract";
import type { OutputOf } from "@/lib/edge/contract";

export type SubscriptionView = OutputOf<typeof subscriptionRoute>;
