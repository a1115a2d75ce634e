"use client";

import { useState } from "react";
import { sendJson } from "./client-api";

/**
 * "Generate invoice" for one paid payment: asks the server to make its invoice (once; a repeat returns the same one)
 * and then offers the PDF in place (the page is not refreshed, so the link stays where the person clicked). Usable
 * anywhere a payment is listed (Invoices, Top Up's payment history).
 */
export function GenerateInvoiceButton({ teamSlug, paymentId, label = "Generate invoice" }: { teamSlug: string; paymentId: string; label?: string }) {
  const [state, setState] = useState<{ kind: "idle" | "busy" } | { kind: "done"; invoiceId: string; number: string } | { kind: "error"; message: string }>({ kind: "idle" });

  async function generate() {
    setState({ kind: "busy" });
    const r = await sendJson<{ invoice?: { id: string; number: string } }>(`/api/teams/${teamSlug}/invoices`, { paymentId });
    if (!r.ok || !r.data.invoice) {
      setState({ kind: "error", message: r.ok ? "The invoice could not be made. Please try again." : r.error.message });
      return;
    }
    setState({ kind: "done", invoiceId: r.data.invoice.id, number: r.data.invoice.number });
  }

  if (state.kind === "done") {
    return (
      <a href={`/api/teams/${teamSlug}/invoices/${state.invoiceId}/pdf`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
        Download {state.number} (PDF)
      </a>
    );
  }
  return (
    <span>
      <button type="button" onClick={() => void generate()} disabled={state.kind === "busy"} className="rounded-md border border-slate-300 px-3 py-1 text-sm font-medium hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800">
        {state.kind === "busy" ? "Generating…" : label}
      </button>
      {state.kind === "error" && <span role="alert" className="ml-2 text-sm text-red-700 dark:text-red-400">{state.message}</span>}
    </span>
  );
}
