import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";

/** POST /api/teams/:team/api-keys/:id/revoke: programs using the key get 401 at once; revoking twice is harmless. */
export const revokeApiKeyRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/api-keys/:id/revoke",
  params: z.object({ team: z.string(), id: z.string() }),
  output: z.object({ id: z.string() }),
});
