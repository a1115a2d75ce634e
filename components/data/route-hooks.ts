"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import useSWR, { unstable_serialize, useSWRConfig } from "swr";
import type { BodyOf, OutputOf, ParamsOf, QueryOf, RouteContract } from "@/lib/edge/contract";
import { type Endpoint, revive, routeKey, routeUrl, TYPED_ANSWER_HEADER, type Types } from "@/lib/edge/endpoint";
import { screenMessage } from "@/lib/billing/words";
import type { ErrorRecord } from "@/lib/edge/error-record";

// The browser's one way to the app's routes: a query hook and a mutation hook per route, typed from the route's
// contract (no casts at call sites) though only its method and path reach the browser (lib/edge/endpoint.ts: zod
// stays on the server). Answers come back as the contract decodes them: money as bigint, moments as Date.
// A mutation asks again every query of its team and refreshes the server components, so no figure stays stale.
// Queries are SWR's (TanStack Query did the same job for 17 kB of a page's 20 kB JavaScript budget; SWR is ~6 kB);
// a mutation is a call and its state, which needs no library.

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

type QueryOptions<T> = {
  /** false: do not ask (yet); `initialData` is still shown. */
  enabled?: boolean;
  /** An answer to start from (asked again only on focus, on an interval, or after a change). */
  initialData?: T;
  /** Ask again this often (ms) while the function of the latest answer says so; false or 0: do not poll. */
  refetchInterval?: number | false | ((data: T | undefined) => number | false);
};

// Money figures go stale quickly: ask again on focus and when the network comes back, retry a failure once, and
// never ask twice for the same answer within 2 s. Set here rather than in a provider, so a page with no query (sign-in)
// loads no SWR at all.
const FRESHNESS = { revalidateOnFocus: true, revalidateOnReconnect: true, errorRetryCount: 1, dedupingInterval: 2000 } as const;

/** When each answer last arrived and last failed, by key (SWR keeps neither). */
const times = new Map<string, { data: number; error: number }>();
const timesOf = (key: string) => times.get(key) ?? times.set(key, { data: 0, error: 0 }).get(key)!;

/**
 * A route's answer, kept fresh by SWR: started from the page's server prefetch (`Prefetched`) or `initialData`
 * without asking again on mount, asked again on focus, on `refetchInterval` and after any change to the team.
 */
export function useRouteQuery<C extends RouteContract>(
  c: Endpoint<C>,
  args: { params: ParamsOf<C> & Params; query?: QueryOf<C> },
  options: QueryOptions<OutputOf<C>> = {},
) {
  const key = routeKey(c, args.params, (args.query ?? {}) as Record<string, unknown>);
  const id = unstable_serialize(key);
  const { fallback } = useSWRConfig();
  const seeded = options.initialData !== undefined || (fallback as Record<string, unknown>)[id] !== undefined;
  const interval = options.refetchInterval;
  const swr = useSWR<OutputOf<C>, RouteError>(
    options.enabled === false ? null : key,
    () =>
      callRoute(c, args).then(
        (data) => ((timesOf(id).data = Date.now()), data),
        (e: unknown) => {
          timesOf(id).error = Date.now();
          throw e;
        },
      ),
    {
      ...FRESHNESS,
      fallbackData: options.initialData,
      revalidateOnMount: !seeded,
      refreshInterval: typeof interval === "function" ? (d) => interval(d) || 0 : interval || 0,
    },
  );
  const data = swr.data ?? (options.enabled === false ? options.initialData : undefined);
  const at = timesOf(id);
  // A seeded answer (prefetch, initialData) dates from when this view first showed it.
  const [shownAt] = useState(() => Date.now());
  const failure = swr.error === undefined ? { isError: false as const, error: null } : { isError: true as const, error: swr.error };
  return {
    ...failure,
    data,
    isFetching: swr.isValidating,
    isPending: data === undefined,
    dataUpdatedAt: at.data || (data === undefined ? 0 : shownAt),
    errorUpdatedAt: at.error,
    refetch: () => swr.mutate(),
  };
}

type MutationCall<T, B> = { onSuccess?: (data: T, body: B) => unknown; onError?: (error: RouteError, body: B) => unknown };
type MutationState<T, B> = { status: "idle" | "pending" | "success" | "error"; data?: T; error: RouteError | null; variables?: B };

/**
 * A route's change: `mutate(body)`. On success it asks again every query of its team (every route under the same
 * `:team`) and refreshes the page's server components; `refresh: false` skips the refresh (a redirect follows).
 * Only the latest call's answer is kept, and its callbacks run: an older answer arriving late changes nothing.
 */
export function useRouteMutation<C extends RouteContract>(
  c: Endpoint<C>,
  args: { params: ParamsOf<C> & Params; refresh?: boolean },
  options: MutationCall<OutputOf<C>, BodyOf<C>> = {},
) {
  const { mutate: revalidate } = useSWRConfig();
  const router = useRouter();
  const [state, setState] = useState<MutationState<OutputOf<C>, BodyOf<C>>>({ status: "idle", error: null });
  const latest = useRef(0);
  const live = useRef(true);
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  const mutateAsync = async (body: BodyOf<C>, call: MutationCall<OutputOf<C>, BodyOf<C>> = {}): Promise<OutputOf<C>> => {
    const n = ++latest.current;
    const current = () => live.current && n === latest.current;
    setState({ status: "pending", error: null, variables: body });
    try {
      const data = await callRoute(c, { params: args.params, body });
      const team = args.params.team;
      await revalidate((k) => Array.isArray(k) && (team === undefined || (k[1] as Params | undefined)?.team === team));
      if (args.refresh !== false) router.refresh();
      if (current()) {
        setState({ status: "success", data, error: null, variables: body });
        await options.onSuccess?.(data, body);
        await call.onSuccess?.(data, body);
      }
      return data;
    } catch (e) {
      const error = e instanceof RouteError ? e : new RouteError(0, FAILED);
      if (current()) {
        setState({ status: "error", error, variables: body });
        await options.onError?.(error, body);
        await call.onError?.(error, body);
      }
      throw error;
    }
  };
  return {
    ...state,
    isIdle: state.status === "idle",
    isPending: state.status === "pending",
    isSuccess: state.status === "success",
    isError: state.status === "error",
    mutateAsync,
    mutate: (body: BodyOf<C>, call?: MutationCall<OutputOf<C>, BodyOf<C>>) => void mutateAsync(body, call).catch(() => {}),
    reset: () => {
      latest.current++;
      setState({ status: "idle", error: null });
    },
  };
}
