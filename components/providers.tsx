"use client";

import { SWRConfig } from "swr";

// Money figures go stale quickly: ask again on focus and when the network comes back, retry a failure once, and
// never ask twice for the same answer within 2 s (components/data/route-hooks.ts).
const config = { revalidateOnFocus: true, revalidateOnReconnect: true, errorRetryCount: 1, dedupingInterval: 2000 };

export function Providers({ children }: { children: React.ReactNode }) {
  return <SWRConfig value={config}>{children}</SWRConfig>;
}
