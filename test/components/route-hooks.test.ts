import { createElement, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PrefetchedProvider } from "../../components/data/prefetched";
import { useRouteQuery } from "../../components/data/route-hooks";
import { endpoint, routeId, routeKey } from "../../lib/edge/endpoint";
import type { overviewRoute as overviewRouteContract } from "../../app/api/teams/[team]/overview/contract";

// useRouteQuery as the server renders it (react-dom/server): what it shows must be what the browser's first render,
// the hydration, shows too.

const overviewRoute = endpoint<typeof overviewRouteContract>("GET /api/teams/:team/overview");
const answerId = routeId(routeKey(overviewRoute, { team: "acme" }));

function Updated() {
  const q = useRouteQuery(overviewRoute, { params: { team: "acme" } });
  return createElement("p", null, `${q.data === undefined ? "none" : "some"} at ${q.dataUpdatedAt}`);
}

// The provider's children as createElement's third argument (its props type makes them required).
const Provider = PrefetchedProvider as (p: { answers: Record<string, unknown>; at: number; children?: ReactNode }) => ReactNode;
const render = (at: number) => renderToString(createElement(Provider, { answers: { [answerId]: { figures: 1 } }, at }, createElement(Updated)));

afterEach(() => vi.useRealTimers());

describe("useRouteQuery on the server", () => {
  it("dates a prefetched answer from the server's render, not from when this render ran (the same on hydration)", () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const onServer = render(999_000);
    vi.setSystemTime(1_002_500); // the browser hydrates seconds later
    const onHydration = render(999_000);
    expect(onServer).toContain("some at 999000");
    expect(onHydration).toBe(onServer);
  });

  it("shows nothing, dated 0, when nothing was prefetched for these params", () => {
    const html = renderToString(createElement(Provider, { answers: {}, at: 5 }, createElement(Updated)));
    expect(html).toContain("none at 0");
  });
});
