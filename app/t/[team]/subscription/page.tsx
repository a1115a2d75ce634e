import type { Metadata } from "next";
import { ComingSoon } from "@/components/coming-soon";
import { requireTeam } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Subscription" };

export default async function SubscriptionPage({ params }: { params: Promise<{ team: string }> }) {
  await requireTeam((await params).team);
  return <ComingSoon title="Subscription" what="Your plan, renewal date, plan changes and cancellation through Stripe." />;
}
