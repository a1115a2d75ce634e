import { describe, expect, it } from "vitest";
import { askOnMount, createQueryStore, shown } from "../../components/data/query-store";

// The browser's cache of route answers (components/data/query-store.ts), with fetchers under the test's control.

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const key = (team: string, page = 1) => ["/api/teams/:team/ledger", { team }, { page }] as const;
const id = (k: readonly unknown[]) => JSON.stringify(k);

describe("the query store", () => {
  it("asks once for two askers at a time, and tells every watcher", async () => {
    const store = createQueryStore();
    let asks = 0;
    const answer = deferred<string>();
    const k = key("acme");
    let seen = 0;
    store.watch(
      id(k),
      k,
      () => (asks++, answer.promise),
      () => seen++,
    );
    const a = store.fetch(id(k));
    const b = store.fetch(id(k));
    expect(asks).toBe(1);
    expect(store.snapshot(id(k)).fetching).toBe(true);
    answer.resolve("first");
    await Promise.all([a, b]);
    expect(store.snapshot(id(k))).toMatchObject({ data: "first", fetching: false });
    expect(seen).toBeGreaterThanOrEqual(2);
  });

  it("drops an answer that a seed or a change overtook", async () => {
    let clock = 1_000;
    const store = createQueryStore(() => clock);
    const k = key("acme");
    const slow = deferred<string>();
    store.watch(
      id(k),
      k,
      () => slow.promise,
      () => {},
    );
    const asked = store.fetch(id(k));
    store.seed(id(k), k, "from the server");
    slow.resolve("older answer");
    await asked;
    expect(store.snapshot(id(k))).toMatchObject({ data: "from the server", dataAt: 1_000, seeded: "from the server", fetching: false });

    // The same seed again (the view re-rendered without a new server render) changes nothing.
    clock = 2_000;
    store.seed(id(k), k, "from the server");
    expect(store.snapshot(id(k)).dataAt).toBe(1_000);
  });

  it("a change makes the team's answers stale and asks again for those on screen only; other teams keep theirs", async () => {
    const store = createQueryStore();
    const shown = key("acme", 1);
    const hidden = key("acme", 2);
    const other = key("globex");
    const asks: string[] = [];
    for (const k of [shown, hidden, other]) store.seed(id(k), k, "old");
    const stopWatching = store.watch(
      id(hidden),
      hidden,
      async () => (asks.push("hidden"), "new"),
      () => {},
    );
    stopWatching();
    store.watch(
      id(shown),
      shown,
      async () => (asks.push("shown"), "new"),
      () => {},
    );
    store.watch(
      id(other),
      other,
      async () => (asks.push("other"), "new"),
      () => {},
    );
    await store.invalidate((k) => (k[1] as { team: string }).team === "acme");
    expect(asks).toEqual(["shown"]);
    expect(store.snapshot(id(shown))).toMatchObject({ data: "new" });
    expect(store.snapshot(id(hidden))).toMatchObject({ data: "old", dataAt: 0 });
    expect(store.snapshot(id(other)).dataAt).toBeGreaterThan(0);
  });

  it("an answer in flight when the change came is replaced by the one asked after it, even if it arrives last", async () => {
    const store = createQueryStore();
    const k = key("acme");
    const before = deferred<string>();
    const after = deferred<string>();
    const answers = [before, after];
    store.watch(
      id(k),
      k,
      () => answers.shift()!.promise,
      () => {},
    );
    void store.fetch(id(k));
    const changed = store.invalidate(() => true);
    after.resolve("after the change");
    await changed;
    before.resolve("before the change");
    await new Promise((r) => setTimeout(r, 0));
    expect(store.snapshot(id(k))).toMatchObject({ data: "after the change", fetching: false });
  });

  it("a failure is kept beside the last answer, and cleared by the next good one", async () => {
    let clock = 5;
    const store = createQueryStore(() => clock);
    const k = key("acme");
    const outcomes: (() => Promise<string>)[] = [async () => "good", () => Promise.reject(new Error("down")), async () => "good again"];
    store.watch(
      id(k),
      k,
      () => outcomes.shift()!(),
      () => {},
    );
    await store.fetch(id(k));
    clock = 6;
    await store.fetch(id(k));
    expect(store.snapshot(id(k))).toMatchObject({ data: "good", dataAt: 5, errorAt: 6 });
    expect((store.snapshot(id(k)).error as Error).message).toBe("down");
    clock = 7;
    await store.fetch(id(k));
    expect(store.snapshot(id(k))).toMatchObject({ data: "good again", error: undefined, dataAt: 7 });
  });

  it("on focus, asks again only for answers on screen older than the stale time", async () => {
    let clock = 0;
    const store = createQueryStore(() => clock);
    const fresh = key("acme", 1);
    const old = key("acme", 2);
    const asks: string[] = [];
    store.watch(
      id(fresh),
      fresh,
      async () => (asks.push("fresh"), "x"),
      () => {},
    );
    store.watch(
      id(old),
      old,
      async () => (asks.push("old"), "x"),
      () => {},
    );
    clock = 1_000;
    store.seed(id(old), old, "o");
    clock = 20_000;
    store.seed(id(fresh), fresh, "f");
    clock = 25_000;
    store.refreshStale(10_000);
    await new Promise((r) => setTimeout(r, 0));
    expect(asks).toEqual(["old"]);
  });

  it("a disabled query is shown but not asked for: not on focus, not after a change", async () => {
    let clock = 0;
    const store = createQueryStore(() => clock);
    const k = key("acme");
    const asks: string[] = [];
    store.watch(
      id(k),
      k,
      async () => (asks.push("asked"), "x"),
      () => {},
      false,
    );
    clock = 60_000;
    store.refreshStale(10_000);
    await store.invalidate(() => true);
    expect(asks).toEqual([]);
    expect(store.snapshot(id(k)).dataAt).toBe(0);
  });

  it("a view asks as it mounts when the answer it would show is stale, even one it was seeded with", () => {
    let clock = 1_000;
    const store = createQueryStore(() => clock);
    const k = key("acme");
    // Nothing yet: ask, unless the view starts from initialData.
    expect(askOnMount(store.snapshot(id(k)), false, clock, 10_000)).toBe(true);
    expect(askOnMount(store.snapshot(id(k)), true, clock, 10_000)).toBe(false);
    // A seed just taken is fresh.
    store.seed(id(k), k, "served");
    expect(askOnMount(store.snapshot(id(k)), false, clock, 10_000)).toBe(false);
    // The same seed, back on screen after a change made it stale (or after the stale time): ask; initialData changes nothing.
    void store.invalidate(() => true);
    store.seed(id(k), k, "served");
    expect(askOnMount(store.snapshot(id(k)), true, clock, 10_000)).toBe(true);
    clock = 1_000;
    store.seed(id(k), k, "served again");
    clock = 12_000;
    expect(askOnMount(store.snapshot(id(k)), false, clock, 10_000)).toBe(true);
  });

  it("a seed dates from when the server computed it, unless the browser's clock is behind", () => {
    let clock = 50_000;
    const store = createQueryStore(() => clock);
    const k = key("acme");
    store.seed(id(k), k, "a", 49_000);
    expect(store.snapshot(id(k)).dataAt).toBe(49_000);
    store.seed(id(k), k, "b", 51_000);
    expect(store.snapshot(id(k)).dataAt).toBe(50_000);
    clock = 0;
  });

  it("a poll skips its turn while the page is hidden", async () => {
    let shown = false;
    const store = createQueryStore(Date.now, () => shown);
    const k = key("acme");
    let asks = 0;
    store.watch(
      id(k),
      k,
      async () => (asks++, "x"),
      () => {},
    );
    await store.poll(id(k));
    expect(asks).toBe(0);
    shown = true;
    await store.poll(id(k));
    expect(asks).toBe(1);
  });

  it("a view is pending until the first answer or the first failure (TanStack Query's isPending), and shows a new seed first", async () => {
    const store = createQueryStore();
    const k = key("acme");
    store.watch(
      id(k),
      k,
      () => Promise.reject(new Error("down")),
      () => {},
    );
    expect(shown(store.snapshot(id(k)), undefined, undefined)).toMatchObject({ data: undefined, isPending: true });
    await store.fetch(id(k));
    expect(shown(store.snapshot(id(k)), undefined, undefined)).toMatchObject({ data: undefined, isPending: false });
    expect(shown(store.snapshot(id(k)), undefined, "initial")).toMatchObject({ data: "initial", isPending: false });
    const served = { n: 1 };
    expect(shown(store.snapshot(id(k)), served, undefined)).toMatchObject({ data: served, fromServer: true });
    store.seed(id(k), k, served);
    expect(shown(store.snapshot(id(k)), served, undefined)).toMatchObject({ data: served, fromServer: false, isPending: false });
  });
});
