"use client";

import type { invoicePdfRoute as invoicePdfRouteContract } from "@/app/api/teams/[team]/invoices/[id]/pdf/contract";
import type { generateInvoiceRoute as generateInvoiceRouteContract } from "@/app/api/teams/[team]/invoices/contract";
import { useRouteMutation } from "./data/route-hooks";
import { endpoint, routeUrl } from "@/lib/edge/endpoint";

const invoicePdfRoute = endpoint<typeof invoicePdfRouteContract>("GET /api/teams/:team/invoices/:id/pdf");
const generateInvoiceRoute = endpoint<typeof generateInvoiceRouteContract>("POST /api/teams/:team/invoices");

/**
 * "Generate invoice" for one paid payment: asks the server to make its invoice (once; a repeat returns the same one)
 * and then offers the PDF in place (the page is not refreshed, so the link stays where the person clicked). Usable
 * anywhere a payment is listed (Invoices, Top Up's payment history).
 */
export function GenerateInvoiceButton({ teamSlug, paymentId, label = "Generate invoice" }: { teamSlug: string; paymentId: string; label?: string }) {
  const generate = useRouteMutation(generateInvoiceRoute, { params: { team: teamSlug }, refresh: false });

  if (generate.data) {
    const { id, number } = generate.data.invoice;
    return (
      <a href={routeUrl(invoicePdfRoute, { team: teamSlug, id })} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
        Download {number} (PDF)
      </a>
    );
  }
  return (
    <span>
      <button
        type="button"
        onClick={() => generate.mutate({ paymentId })}
        disabled={generate.isPending}
        className="rounded-md border border-slate-300 px-3 py-1 text-sm font-medium hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800"
      >
        {generate.isPending ? "Generating…" : label}
      </button>
      {generate.error && (
        <span role="alert" className="ml-2 text-sm text-red-700 dark:text-red-400">
          {generate.error.message}
        </span>
      )}
    </span>
  );
}
