import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";

/** GET /api/teams/:team/invoices/:id/pdf: the invoice as a PDF download (a file, so no JSON output). */
export const invoicePdfRoute = defineRoute({
  method: "GET",
  path: "/api/teams/:team/invoices/:id/pdf",
  params: z.object({ team: z.string(), id: z.string() }),
  output: null,
});
