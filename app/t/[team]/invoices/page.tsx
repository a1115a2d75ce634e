import type { Metadata } from "next";
import { ComingSoon } from "@/components/coming-soon";
import { requireTeam } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Invoices" };

export default async function InvoicesPage({ params }: { params: Promise<{ team: string }> }) {
  await requireTeam((await params).team);
  return <ComingSoon title="Invoices" what="Subscription and top-up invoices with PDF downloads, billing details, and ledger export." />;
}
