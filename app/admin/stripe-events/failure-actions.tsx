"use client";

import { useActionState } from "react";
import { dismissEventAction, type EventActionState, replayEventAction } from "./actions";

/** Replay or dismiss one kept event, each after a confirmation, with the outcome said in place. */
export function FailureActions({ id, type }: { id: string; type: string | null }) {
  const [replayed, replay, replaying] = useActionState<EventActionState, FormData>(replayEventAction, null);
  const [dismissed, dismiss, dismissing] = useActionState<EventActionState, FormData>(dismissEventAction, null);
  const result = replayed ?? dismissed;
  const confirmFirst = (question: string) => (e: React.FormEvent<HTMLFormElement>) => {
    if (!window.confirm(question)) e.preventDefault();
  };
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex gap-3">
        <form action={replay} onSubmit={confirmFirst(`Apply ${type ?? "this event"} (${id}) now? It may add or take back credits.`)}>
          <input type="hidden" name="id" value={id} />
          <button disabled={replaying || dismissing} className="font-medium text-indigo-700 hover:underline disabled:opacity-60 dark:text-indigo-300" aria-label={`Replay ${id}`}>
            {replaying ? "Replaying…" : "Replay"}
          </button>
        </form>
        <form action={dismiss} onSubmit={confirmFirst(`Dismiss ${id}? It will never be applied.`)}>
          <input type="hidden" name="id" value={id} />
          <button disabled={replaying || dismissing} className="text-red-700 hover:underline disabled:opacity-60 dark:text-red-400" aria-label={`Dismiss ${id}`}>
            {dismissing ? "Dismissing…" : "Dismiss"}
          </button>
        </form>
      </div>
      {result && (
        <p role={result.ok ? "status" : "alert"} className={result.ok ? "text-emerald-800 dark:text-emerald-300" : "text-red-800 dark:text-red-300"}>
          {result.ok ? result.data.message : result.error.message}
        </p>
      )}
    </div>
  );
}
