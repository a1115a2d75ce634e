"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react";
import { askOnMount, createQueryStore, shown, type Snapshot } from "./query-store";
import { usePrefetched } from "./prefetched";
import type { BodyOf, OutputOf, ParamsOf, QueryOf, RouteContract } from "@/lib/edge/contract";
import { type Endpoint, revive, routeId, routeKey, routeUrl, TYPED_ANSWER_HEADER, type Types } from "@/lib/edge/endpoint";
import { screenMessage } from "@/lib/billing/words";
import type { ErrorRecord } from "@/lib/edge/error-record";

// The browser's one way to the app's routes: a query hook and a mutation hook per route, typed from the route's
// contract (no casts at call sites) though only its method and path reach the browser (lib/edge/endpoint.ts: zod
// stays on the server). Answers come back as the contract decodes them: money as bigint, moments as Date.
// A mutation asks again every query of its team and refreshes the server components, so no figure stays stale.
// The answers are kept in components/data/query-store.ts (why not TanStack Query or SWR: see there); a mutation is a
// call and its state.

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
  /** Ask again this often (ms) while the function of the answer on screen says so; false or 0: do not poll. */
  refetchInterval?: number | false | ((data: T | undefined) => number | false);
};

/** An answer younger than this is not asked for again when a view mounts or the window regains focus. */
const STALE_MS = 10_000;
const store = createQueryStore(Date.now, () => typeof document === "undefined" || document.visibilityState !== "hidden");
if (typeof window !== "undefined") {
  const refresh = () => document.visibilityState === "visible" && store.refreshStale(STALE_MS);
  window.addEventListener("focus", refresh);
  window.addEventListener("online", refresh);
  document.addEventListener("visibilitychange", refresh);
}
const NOTHING: Snapshot = store.snapshot("");

/** A failure where the server was not reached or failed is tried once more, a second later; a refusal is not. */
const retryOnce = <T>(ask: () => Promise<T>): Promise<T> =>
  ask().catch((e: unknown) =>
    e instanceof RouteError && (e.status === 0 || e.status >= 500) ? new Promise((r) => setTimeout(r, 1000)).then(ask) : Promise.reject(e),
  );

/**
 * A route's answer, kept fresh (components/data/query-store.ts): started from the page's server prefetch
 * (`Prefetched`) or `initialData`, asked again when it is older than 10 s as a view mounts or the window regains
 * focus, on `refetchInterval`, and after any change to the team.
 */
export function useRouteQuery<C extends RouteContract>(
  c: Endpoint<C>,
  args: { params: ParamsOf<C> & Params; query?: QueryOf<C> },
  options: QueryOptions<OutputOf<C>> = {},
) {
  const key = routeKey(c, args.params, (args.query ?? {}) as Record<string, unknown>);
  const id = routeId(key);
  const prefetch = usePrefetched(id);
  const served = prefetch?.data as OutputOf<C> | undefined;
  const enabled = options.enabled !== false;
  const ask = useRef(() => callRoute(c, args));
  useEffect(() => {
    ask.current = () => callRoute(c, args);
  });
  // The id is the key as JSON: the store keeps the key itself, for a change to find its team's answers.
  // A disabled query watches (it shows what the store has) but is not asked for on focus or after a change.
  const subscribe = useCallback(
    (onChange: () => void) => store.watch(id, JSON.parse(id) as unknown[], () => retryOnce(() => ask.current()), onChange, enabled),
    [id, enabled],
  );
  const snap = useSyncExternalStore(
    subscribe,
    () => store.snapshot(id),
    () => NOTHING,
  );

  // The server's answer (a page rendered on navigation, or refreshed after a change) is newer than what the cache
  // kept from an earlier visit: shown at once, and taken into the cache.
  const { data, fromServer, isPending } = shown(snap, served, options.initialData);
  const servedAt = prefetch?.at;
  useEffect(() => {
    if (served !== undefined) store.seed(id, JSON.parse(id) as unknown[], served, servedAt);
  }, [id, served, servedAt]);
  // After the seed above: a seed just taken is fresh; the same seed seen again (a view remounted, the router's cache)
  // may since have been made stale by a change, and is asked for like any other answer.
  const startsFrom = options.initialData !== undefined;
  useEffect(() => {
    if (enabled && askOnMount(store.snapshot(id), startsFrom, Date.now(), STALE_MS)) void store.fetch(id);
  }, [id, enabled, startsFrom]);

  const interval = options.refetchInterval;
  const period = (typeof interval === "function" ? interval(data) : interval) || 0;
  useEffect(() => {
    if (!enabled || period <= 0) return;
    const timer = setInterval(() => void store.poll(id), period);
    return () => clearInterval(timer);
  }, [id, enabled, period]);

  const [shownAt] = useState(() => Date.now());
  const failure = snap.error === undefined ? { isError: false as const, error: null } : { isError: true as const, error: snap.error as RouteError };
  return {
    ...failure,
    data,
    isFetching: snap.fetching,
    isPending,
    // A server answer dates from the server's render, the same when rendered there and when hydrated here.
    dataUpdatedAt: fromServer && prefetch ? prefetch.at : snap.dataAt === 0 ? (data === undefined ? 0 : shownAt) : snap.dataAt,
    errorUpdatedAt: snap.errorAt,
    refetch: () => store.fetch(id),
  };
}

type MutationCall<T, B> = { onSuccess?: (data: T, body: B) => unknown; onError?: (error: RouteError, body: B) => unknown };
type MutationState<T, B> = { status: "idle" | "pending" | "success" | "error"; data?: T; error: RouteError | null; variables?: B };

/**
 * A route's change: `mutate(body)`. On success it asks again every query of its team (every route under the same
 * `:team`) and refreshes the page's server components; `refresh: false` skips the refresh (a redirect follows).
 * Only the latest call's answer is kept: an older answer arriving late changes nothing.
 */
export function useRouteMutation<C extends RouteContract>(
  c: Endpoint<C>,
  args: { params: ParamsOf<C> & Params; refresh?: boolean },
  options: MutationCall<OutputOf<C>, BodyOf<C>> = {},
) {
  const router = useRouter();
  const [state, setState] = useState<MutationState<OutputOf<C>, BodyOf<C>>>({ status: "idle", error: null });
  const latest = useRef(0);
  const live = useRef(true);
  // What the last render asked for: `mutate` stays one function for the view's life (effects may depend on it) and
  // still calls with the latest params and callbacks.
  const asked = useRef({ c, args, options });
  useEffect(() => {
    asked.current = { c, args, options };
  });
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  const mutateAsync = useCallback(
    async (body: BodyOf<C>, call: MutationCall<OutputOf<C>, BodyOf<C>> = {}): Promise<OutputOf<C>> => {
      const { c, args, options } = asked.current;
      const n = ++latest.current;
      const current = () => live.current && n === latest.current;
      setState({ status: "pending", error: null, variables: body });
      try {
        const data = await callRoute(c, { params: args.params, body });
        const team = args.params.team;
        await store.invalidate((k) => team === undefined || (k[1] as Params | undefined)?.team === team);
        if (args.refresh !== false) router.refresh();
        if (current()) setState({ status: "success", data, error: null, variables: body });
        // The hook's own callback runs even when the answer re-rendered the form away (a saved form remounts with
        // what was saved); a call's callback only while its view is there and it is the latest call.
        await options.onSuccess?.(data, body);
        if (current()) await call.onSuccess?.(data, body);
        return data;
      } catch (e) {
        const error = e instanceof RouteError ? e : new RouteError(0, FAILED);
        if (current()) setState({ status: "error", error, variables: body });
        await options.onError?.(error, body);
        if (current()) await call.onError?.(error, body);
        throw error;
      }
    },
    [router],
  );
  const mutate = useCallback((body: BodyOf<C>, call?: MutationCall<OutputOf<C>, BodyOf<C>>) => void mutateAsync(body, call).catch(() => {}), [mutateAsync]);
  const reset = useCallback(() => {
    latest.current++;
    setState({ status: "idle", error: null });
  }, []);
  return {
    ...state,
    isIdle: state.status === "idle",
    isPending: state.status === "pending",
    isSuccess: state.status === "success",
    isError: state.status === "error",
    mutateAsync,
    mutate,
    reset,
  };
}
