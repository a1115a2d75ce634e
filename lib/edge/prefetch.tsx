import "server-only";
import { SWRConfig, unstable_serialize } from "swr";
import type { ReactNode } from "react";
import type { OutputOf, RouteContract } from "./contract";
import { routeKey } from "./endpoint";

// Server prefetch for interactive pages: the page computes a route's answer with the same core function the route
// calls, and hands it to the browser's SWR cache as the fallback under the route's key, so useRouteQuery starts with it.

export type Prefetch<C extends RouteContract = RouteContract> = {
  contract: C;
  params: Record<string, string>;
  query?: Record<string, unknown>;
  data: OutputOf<C>;
};

/** One prefetched answer, typed by its contract. */
export const prefetched = <C extends RouteContract>(p: Prefetch<C>): Prefetch => p as unknown as Prefetch;

export function Prefetched({ entries, children }: { entries: Prefetch[]; children: ReactNode }) {
  const fallback = Object.fromEntries(entries.map((e) => [unstable_serialize(routeKey(e.contract, e.params, e.query ?? {})), e.data]));
  return <SWRConfig value={{ fallback }}>{children}</SWRConfig>;
}
