import "server-only";
import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { type OutputOf, type RouteContract, routeKey } from "./contract";

// Server prefetch for interactive pages: the page computes a route's answer with the same core function the route
// calls, and hands it to the browser's query cache under the route's key, so useRouteQuery starts with it.

export type Prefetch<C extends RouteContract = RouteContract> = {
  contract: C;
  params: Record<string, string>;
  query?: Record<string, unknown>;
  data: OutputOf<C>;
};

/** One prefetched answer, typed by its contract. */
export const prefetched = <C extends RouteContract>(p: Prefetch<C>): Prefetch => p as unknown as Prefetch;

export function Prefetched({ entries, children }: { entries: Prefetch[]; children: ReactNode }) {
  const qc = new QueryClient();
  for (const e of entries) qc.setQueryData(routeKey(e.contract, e.params, e.query ?? {}), e.data);
  return <HydrationBoundary state={dehydrate(qc)}>{children}</HydrationBoundary>;
}
