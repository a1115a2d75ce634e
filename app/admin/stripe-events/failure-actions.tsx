"use client";

import { useRouteMutation } from "@/components/data/route-hooks";
import type { dismissEventRoute as dismissEventRouteContract } from "@/app/api/admin/stripe-events/[id]/dismiss/contract";
import type { replayEventRoute as replayEventRouteContract } from "@/app/api/admin/stripe-events/[id]/replay/contract";
import { endpoint } from "@/lib/edge/endpoint";

const dismissEventRoute = endpoint<typeof dismissEventRouteContract>("POST /api/admin/stripe-events/:id/dismiss");
const replayEventRoute = endpoint<typeof replayEventRouteContract>("POST /api/admin/stripe-events/:id/replay");

type Outcome = { ok: boolean; message: string };

/** Replay or dismiss one kept event, each after a confirmation, with the outcome said in place. */
export function FailureActions({ id, type }: { id: string; type: string | null }) {
  const replay = useRouteMutation(replayEventRoute, { params: { id } });
  const dismiss = useRouteMutation(dismissEventRoute, { params: { id } });
  const replayed: Outcome | null = replay.data
    ? { ok: replay.data.applied, message: replay.data.message }
    : replay.error
      ? { ok: false, message: replay.error.record.message }
      : null;
  const dismissed: Outcome | null = dismiss.data
    ? { ok: true, message: dismiss.data.message }
    : dismiss.error
      ? { ok: false, message: dismiss.error.record.message }
      : null;
  const result = replayed ?? dismissed;
  const busy = replay.isPending || dismiss.isPending;
  const confirmed = (question: string, run: () => void) => () => {
    if (window.confirm(question)) run();
  };
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex gap-3">
        <button
          type="button"
          onClick={confirmed(`Apply ${type ?? "this event"} (${id}) now? It may add or take back credits.`, () => replay.mutate({}))}
          disabled={busy}
          className="font-medium text-indigo-700 hover:underline disabled:opacity-60 dark:text-indigo-300"
          aria-label={`Replay ${id}`}
        >
          {replay.isPending ? "Replaying…" : "Replay"}
        </button>
        <button
          type="button"
          onClick={confirmed(`Dismiss ${id}? It will never be applied.`, () => dismiss.mutate({}))}
          disabled={busy}
          className="text-red-700 hover:underline disabled:opacity-60 dark:text-red-400"
          aria-label={`Dismiss ${id}`}
        >
          {dismiss.isPending ? "Dismissing…" : "Dismiss"}
        </button>
      </div>
      {result && (
        <p role={result.ok ? "status" : "alert"} className={result.ok ? "text-emerald-800 dark:text-emerald-300" : "text-red-800 dark:text-red-300"}>
          {result.message}
        </p>
      )}
    </div>
  );
}
