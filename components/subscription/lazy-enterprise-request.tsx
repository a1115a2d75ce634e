"use client";

import dynamic from "next/dynamic";
import { WhenVisible } from "@/components/when-visible";

const placeholder = (
  <div role="status" className="h-48 animate-pulse rounded-lg border border-slate-200 dark:border-slate-800">
    <span className="sr-only">Loading the request form…</span>
  </div>
);

// At the foot of the Subscription page: its code loads as it scrolls into view ("Contact us" scrolls to it).
const EnterpriseRequest = dynamic(() => import("./enterprise-request").then((m) => m.EnterpriseRequest), { ssr: false, loading: () => placeholder });

export function LazyEnterpriseRequest(props: { team: string; canRequest: boolean }) {
  return (
    <WhenVisible placeholder={placeholder}>
      <EnterpriseRequest {...props} />
    </WhenVisible>
  );
}
