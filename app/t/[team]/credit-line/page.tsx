import type { Metadata } from "next";
import { ComingSoon } from "@/components/coming-soon";
import { teamPage } from "@/lib/edge/page";

export const metadata: Metadata = { title: "Credit line" };

export default async function CreditlinePage({ params }: { params: Promise<{ team: string }> }) {
  await teamPage((await params).team);
  return <ComingSoon title="Credit line" what="Apply for a postpaid monthly credit line and follow the review." />;
}
