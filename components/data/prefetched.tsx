"use client";

import { createContext, type ReactNode, useContext, useMemo } from "react";

// The answers a page computed on the server for its routes (lib/edge/prefetch.tsx), by route id: useRouteQuery
// starts from them. Nested pages add theirs to their layout's.

const PrefetchedAnswers = createContext<Record<string, unknown>>({});

export function PrefetchedProvider({ answers, children }: { answers: Record<string, unknown>; children: ReactNode }) {
  const outer = useContext(PrefetchedAnswers);
  const all = useMemo(() => ({ ...outer, ...answers }), [outer, answers]);
  return <PrefetchedAnswers.Provider value={all}>{children}</PrefetchedAnswers.Provider>;
}

export const usePrefetched = (id: string): unknown => useContext(PrefetchedAnswers)[id];
