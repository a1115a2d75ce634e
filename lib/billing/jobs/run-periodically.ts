/**
 * Runs `work` now and then every `everyMs` in this process, one run at a time (a tick while the last run is still
 * going is skipped); failures go to `onError` and the next tick tries again. The timer does not keep the process
 * alive; `stop` clears it and waits for a run in progress. The work itself must be safe in every instance at once.
 */
export function runPeriodically({ everyMs, work, onError }: { everyMs: number; work: () => Promise<unknown>; onError: (e: unknown) => void }): {
  stop: () => Promise<void>;
} {
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (running) return;
    running = work()
      .catch(onError)
      .finally(() => (running = null));
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  tick();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
