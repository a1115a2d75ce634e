"use client";

import { createContext, type ReactNode, useContext, useMemo } from "react";

// The answers a page computed on the server for its routes (lib/edge/prefetch.tsx), by route id: useRouteQuery
// starts from them. Nested pages add theirs to their layout's. `at`: when the server computed them (ms, its clock),
// so a view shows the same "updated at" when rendered on the server and when hydrated.

export type PrefetchedAnswer = { data: unknown; at: number };

const PrefetchedAnswers = createContext<Record<string, PrefetchedAnswer>>({});

export function PrefetchedProvider({ answers, at, children }: { answers: Record<string, unknown>; at: number; children: ReactNode }) {
  const outer = useContext(PrefetchedAnswers);
  const all = useMemo(() => ({ ...outer, ...Object.fromEntries(Object.entries(answers).map(([id, data]) => [id, { data, at }])) }), [outer, answers, at]);
  return <PrefetchedAnswers.Provider value={all}>{children}</PrefetchedAnswers.Provider>;
}

export const usePrefetched = (id: string): PrefetchedAnswer | undefined => useContext(PrefetchedAnswers)[id];
