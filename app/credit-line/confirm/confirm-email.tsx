"use client";

import { useState } from "react";
import type { confirmCreditLineEmailRoute as confirmCreditLineEmailRouteContract } from "@/app/api/credit-line/confirm-email/contract";
import { callRoute, RouteError } from "@/components/data/route-hooks";
import { endpoint } from "@/lib/edge/endpoint";

const confirmCreditLineEmailRoute = endpoint<typeof confirmCreditLineEmailRouteContract>("POST /api/credit-line/confirm-email");

export function ConfirmEmail({ token }: { token: string }) {
  const [state, setState] = useState<{ kind: "idle" | "busy" } | { kind: "done"; company: string | null } | { kind: "error"; message: string }>({
    kind: "idle",
  });
  if (state.kind === "done") {
    return (
      <p role="status" className="mt-6 rounded-md bg-emerald-50 p-3 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100">
        Confirmed. The application{state.company ? ` for ${state.company}` : ""} now goes to a reviewer. You can close this page.
      </p>
    );
  }
  return (
    <div className="mt-6">
      {state.kind === "error" && (
        <p role="alert" className="mb-3 rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
          {state.message}
        </p>
      )}
      <button
        type="button"
        disabled={state.kind === "busy" || token === ""}
        onClick={async () => {
          setState({ kind: "busy" });
          try {
            const r = await callRoute(confirmCreditLineEmailRoute, { params: {}, body: { token } });
            setState({ kind: "done", company: r.companyName });
          } catch (e) {
            setState({ kind: "error", message: e instanceof RouteError ? e.record.message : "Something went wrong; try again." });
          }
        }}
        className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
      >
        Confirm the application
      </button>
    </div>
  );
}
