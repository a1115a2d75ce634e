import "server-only";
import { PrefetchedProvider } from "@/components/data/prefetched";
import type { ReactNode } from "react";
import type { OutputOf, RouteContract } from "./contract";
import { routeId, routeKey } from "./endpoint";

// Server prefetch for interactive pages: the page computes a route's answer with the same core function the route
// calls, and hands it to the browser under the route's key (components/data/prefetched.tsx), so useRouteQuery starts with it.

export type Prefetch<C extends RouteContract = RouteContract> = {
  contract: C;
  params: Record<string, string>;
  query?: Record<string, unknown>;
  data: OutputOf<C>;
};

/** One prefetched answer, typed by its contract. */
export const prefetched = <C extends RouteContract>(p: Prefetch<C>): Prefetch => p as unknown as Prefetch;

/** When the answers were computed: a server component renders once per request, so this is that request's moment. */
const answeredAt = (): number => Date.now();

export function Prefetched({ entries, children }: { entries: Prefetch[]; children: ReactNode }) {
  const answers = Object.fromEntries(entries.map((e) => [routeId(routeKey(e.contract, e.params, e.query ?? {})), e.data]));
  return (
    <PrefetchedProvider answers={answers} at={answeredAt()}>
      {children}
    </PrefetchedProvider>
  );
}
