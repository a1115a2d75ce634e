"use client";

import { type QueryKey, useMutation, type UseMutationOptions, useQuery, useQueryClient, type UseQueryOptions } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { BodyOf, OutputOf, ParamsOf, QueryOf, RouteContract } from "@/lib/edge/contract";
import { type Endpoint, revive, routeKey, routeUrl, TYPED_ANSWER_HEADER, type Types } from "@/lib/edge/endpoint";
import { screenMessage } from "@/lib/billing/words";
import type { ErrorRecord } from "@/lib/edge/error-record";

// The browser's one way to the app's routes: a query hook and a mutation hook per route, typed from the route's
// contract (no casts at call sites) though only its method and path reach the browser (lib/edge/endpoint.ts: zod
// stays on the server). Answers come back as the contract decodes them: money as bigint, moments as Date.
// A mutation invalidates every query of its team and refreshes the server components, so no figure stays stale.

/** A refused or failed call, carrying the route's error record (or NETWORK when the server was not reached). */
export class RouteError extends Error {
  constructor(
    readonly status: number,
    readonly record: ErrorRecord,
  ) {
    super(record.message);
    this.name = "RouteError";
  }
}

const NETWORK: ErrorRecord = { code: "NETWORK", message: "We could not reach Creditdesk. Check your connection and try again; a retry never charges twice." };
const FAILED: ErrorRecord = { code: "INTERNAL", message: "Something went wrong. Nothing was charged; please try again." };

type Params = Record<string, string>;

/** Calls a route and decodes its answer; throws RouteError with the route's error record. */
export async function callRoute<C extends RouteContract>(
  c: Endpoint<C>,
  args: { params: ParamsOf<C> & Params; query?: QueryOf<C>; body?: BodyOf<C> },
): Promise<OutputOf<C>> {
  // A DELETE carries its (empty) JSON body too: the pipeline takes only same-origin JSON for any change (415 else).
  const hasBody = c.method !== "GET";
  let res: Response;
  try {
    res = await fetch(routeUrl(c, args.params, args.query as Record<string, string> | undefined), {
      method: c.method,
      cache: "no-store",
      headers: { [TYPED_ANSWER_HEADER]: "1", ...(hasBody ? { "content-type": "application/json" } : {}) },
      ...(hasBody ? { body: JSON.stringify(args.body ?? {}) } : {}),
    });
  } catch {
    throw new RouteError(0, NETWORK);
  }
  const json = (await res.json().catch(() => null)) as unknown;
  if (!res.ok) {
    const error = (json as { error?: ErrorRecord } | null)?.error;
    // The record as a person reads it: no "field: " code in front of the sentence (the API keeps it for programs).
    throw new RouteError(res.status, error && typeof error.message === "string" ? { ...error, message: screenMessage(error) } : FAILED);
  }
  // A route that answers a Response of its own (a file, a stream) sends it as it is, without `types`.
  const typed = json as { data?: unknown; types?: Types } | null;
  if (typed === null || typeof typed !== "object" || !("data" in typed) || !("types" in typed)) return json as OutputOf<C>;
  return revive(typed.data, typed.types ?? 0) as OutputOf<C>;
}

/** A route's answer, kept fresh by TanStack Query; seed it with `initialData` or a server prefetch (HydrationBoundary). */
export function useRouteQuery<C extends RouteContract>(
  c: Endpoint<C>,
  args: { params: ParamsOf<C> & Params; query?: QueryOf<C> },
  options: Omit<UseQueryOptions<OutputOf<C>, RouteError, OutputOf<C>, QueryKey>, "queryKey" | "queryFn"> = {},
) {
  return useQuery<OutputOf<C>, RouteError, OutputOf<C>, QueryKey>({
    queryKey: routeKey(c, args.params, (args.query ?? {}) as Record<string, unknown>),
    queryFn: () => callRoute(c, args),
    ...options,
  });
}

/**
 * A route's change: `mutate(body)`. On success it invalidates the team's queries (every route under the same
 * `:team`) and refreshes the page's server components; `refresh: false` skips the refresh (a redirect follows).
 */
export function useRouteMutation<C extends RouteContract>(
  c: Endpoint<C>,
  args: { params: ParamsOf<C> & Params; refresh?: boolean },
  options: Omit<UseMutationOptions<OutputOf<C>, RouteError, BodyOf<C>>, "mutationFn"> = {},
) {
  const qc = useQueryClient();
  const router = useRouter();
  return useMutation<OutputOf<C>, RouteError, BodyOf<C>>({
    ...options,
    mutationFn: (body) => callRoute(c, { params: args.params, body }),
    onSuccess: async (data, body, result, context) => {
      const team = args.params.team;
      await qc.invalidateQueries({ predicate: (q) => team === undefined || (q.queryKey[1] as Params | undefined)?.team === team });
      if (args.refresh !== false) router.refresh();
      await options.onSuccess?.(data, body, result, context);
    },
  });
}
