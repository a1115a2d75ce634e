import type { Metadata } from "next";
import { ComingSoon } from "@/components/coming-soon";
import { requireTeam } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Top Up" };

export default async function TopUpPage({ params }: { params: Promise<{ team: string }> }) {
  await requireTeam((await params).team);
  return <ComingSoon title="Top Up" what="Choose a payment method and amount, apply a coupon, and pay with Stripe. Payment history appears here too." />;
}
