import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";

/** POST /api/teams/:team/members/:id/transfer-ownership: an owner makes this member an owner and becomes an admin. */
export const transferOwnershipRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/members/:id/transfer-ownership",
  params: z.object({ team: z.string(), id: z.string() }),
  output: z.object({ id: z.string() }),
});
