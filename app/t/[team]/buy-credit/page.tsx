import type { Metadata } from "next";
import { ComingSoon } from "@/components/coming-soon";
import { requireTeam } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Buy Credit" };

export default async function BuyCreditPage({ params }: { params: Promise<{ team: string }> }) {
  await requireTeam((await params).team);
  return <ComingSoon title="Buy Credit" what="Quick Select bundles and custom amounts charged to your saved payment method, and auto top-up." />;
}
