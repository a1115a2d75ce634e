// The browser's cache of route answers: one entry per route and params, watched by the views that show it.
// Written here rather than taken from a library: TanStack Query did this job for 17 kB of a page's 20 kB
// JavaScript budget (issue 12) and SWR for 6 kB, and SWR needed three workarounds to behave as the dashboard
// needs (a server answer newer than the cache wins; a poll's period follows the answer on screen; a change makes
// every answer of the team stale, shown or not). This is those rules and nothing else; no React here.
//
// Rules: one request per entry at a time (a second ask joins it); an answer that arrives after a newer ask began, or
// after a seed, is dropped; a seed (the server's answer, rendered on navigation or refresh) replaces what the entry
// had, once per seed; `invalidate` makes the entries stale and asks again for those a view is showing and asking for
// (a view with `enabled: false` shows its entry but is not asked for: not on focus, not after a change, not polled).

export type Snapshot<T = unknown> = {
  data: T | undefined;
  error: unknown;
  /** When `data` arrived (ms), 0 when there is none or it was made stale. */
  dataAt: number;
  errorAt: number;
  fetching: boolean;
  /** The last seed applied: a view shows its seed until the store has taken it. */
  seeded: unknown;
};

type Entry = {
  key: readonly unknown[];
  snap: Snapshot;
  /** Each watching view, and whether it asks (false: its query is disabled). */
  listeners: Map<() => void, boolean>;
  inFlight: Promise<void> | null;
  asked: number;
  fetcher: (() => Promise<unknown>) | null;
};

const EMPTY: Snapshot = { data: undefined, error: undefined, dataAt: 0, errorAt: 0, fetching: false, seeded: undefined };

/**
 * Whether a view should ask for its entry as it mounts (after any seed it brought was taken): when the entry's answer
 * is older than `staleMs` or was made stale by a change, or when there is none and the view has nothing to start from.
 */
export function askOnMount(snap: Snapshot, startsFromInitialData: boolean, at: number, staleMs: number): boolean {
  if (snap.data !== undefined) return snap.dataAt === 0 || at - snap.dataAt > staleMs;
  return !startsFromInitialData;
}

/**
 * What a view shows of its entry: the server's answer while the store has not taken it (it is newer than what the store
 * kept from an earlier visit), else the store's, else `initialData`. Pending, as in TanStack Query, until the first
 * answer or the first failure: a failure with nothing to show is an error, not a wait.
 */
export function shown<T>(snap: Snapshot, served: T | undefined, initialData: T | undefined) {
  const fromServer = served !== undefined && snap.seeded !== served;
  const data = (fromServer ? served : (snap.data as T | undefined)) ?? initialData;
  return { data, fromServer, isPending: data === undefined && snap.error === undefined };
}

/** `visible`: whether the page is on screen; a poll skips its turn while it is not (focus asks again). */
export function createQueryStore(now: () => number = Date.now, visible: () => boolean = () => true) {
  const entries = new Map<string, Entry>();

  const entry = (id: string, key: readonly unknown[] = []): Entry => {
    let e = entries.get(id);
    if (!e) entries.set(id, (e = { key, snap: EMPTY, listeners: new Map(), inFlight: null, asked: 0, fetcher: null }));
    return e;
  };
  const set = (e: Entry, patch: Partial<Snapshot>) => {
    e.snap = { ...e.snap, ...patch };
    for (const l of [...e.listeners.keys()]) l();
  };
  /** A view is showing the entry and wants it kept fresh. */
  const asking = (e: Entry) => [...e.listeners.values()].some(Boolean);

  /** Asks the entry's route now (or joins the ask in flight). Never rejects: a failure is the snapshot's error. */
  function fetch(id: string): Promise<void> {
    const e = entry(id);
    if (e.inFlight) return e.inFlight;
    if (!e.fetcher) return Promise.resolve();
    const ask = ++e.asked;
    set(e, { fetching: true });
    const p: Promise<void> = e
      .fetcher()
      .then(
        (data) => {
          if (ask === e.asked) set(e, { data, dataAt: now(), error: undefined });
        },
        (error: unknown) => {
          if (ask === e.asked) set(e, { error, errorAt: now() });
        },
      )
      .finally(() => {
        if (e.inFlight !== p) return; // a newer ask replaced this one (invalidate): it reports for itself
        e.inFlight = null;
        set(e, { fetching: false });
      });
    e.inFlight = p;
    return e.inFlight;
  }

  return {
    snapshot: (id: string): Snapshot => entries.get(id)?.snap ?? EMPTY,
    /** Watches an entry; the fetcher is how to ask for it (the latest view's wins); `asks` false: a disabled query. */
    watch(id: string, key: readonly unknown[], fetcher: () => Promise<unknown>, listener: () => void, asks = true): () => void {
      const e = entry(id, key);
      e.key = key;
      e.fetcher = fetcher;
      e.listeners.set(listener, asks);
      return () => e.listeners.delete(listener);
    },
    fetch,
    /** A poll's turn: asks as `fetch` does, unless the page is not on screen. */
    poll: (id: string): Promise<void> => (visible() ? fetch(id) : Promise.resolve()),
    /**
     * The server's answer for an entry, computed at `at` (the server's clock; the browser's if that is behind): taken
     * once per seed, over whatever the entry had or has in flight.
     */
    seed(id: string, key: readonly unknown[], data: unknown, at: number = now()): void {
      const e = entry(id, key);
      if (e.snap.seeded === data) return;
      e.asked++; // an ask in flight began before this answer reached the browser
      e.inFlight = null;
      set(e, { data, dataAt: Math.min(at, now()), error: undefined, seeded: data, fetching: false });
    },
    /** Makes every matching entry stale and asks again for those on screen; resolves when those answers are in. */
    invalidate(match: (key: readonly unknown[]) => boolean): Promise<void> {
      const asks: Promise<void>[] = [];
      for (const [id, e] of entries) {
        if (!match(e.key)) continue;
        e.asked++; // an answer in flight now predates the change
        e.inFlight = null;
        set(e, { dataAt: 0 });
        if (asking(e)) asks.push(fetch(id));
      }
      return Promise.all(asks).then(() => {});
    },
    /** Asks again, for every entry on screen whose answer is older than `staleMs` (the window came back into focus). */
    refreshStale(staleMs: number): void {
      for (const [id, e] of entries) if (asking(e) && now() - e.snap.dataAt > staleMs) void fetch(id);
    },
  };
}

export type QueryStore = ReturnType<typeof createQueryStore>;
