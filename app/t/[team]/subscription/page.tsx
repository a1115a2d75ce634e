import type { Metadata } from "next";
import { ComingSoon } from "@/components/coming-soon";
import { teamPage } from "@/lib/edge/page";

export const metadata: Metadata = { title: "Subscription" };

export default async function SubscriptionPage({ params }: { params: Promise<{ team: string }> }) {
  await teamPage((await params).team);
  return <ComingSoon title="Subscription" what="Your plan, renewal date, plan changes and cancellation through Stripe." />;
}
