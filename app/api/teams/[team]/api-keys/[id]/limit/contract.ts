import { z } from "zod";
import { defineRoute, money } from "@/lib/edge/contract";
import { apiKeySchema } from "../../contract";

const params = z.object({ team: z.string(), id: z.string() });

/**
 * PUT /api/teams/:team/api-keys/:id/limit: the key's spending limit, credits per UTC day, week or month. Usage through
 * the key past it is refused with 402 API_KEY_LIMIT_REACHED; owners and billing members hear at 80%. Owners and admins.
 */
export const setApiKeyLimitRoute = defineRoute({
  method: "PUT",
  path: "/api/teams/:team/api-keys/:id/limit",
  params,
  body: z.strictObject({
    credits: money(),
    period: z.enum(["DAY", "WEEK", "MONTH"], { error: "Choose a day, a week or a month" }),
  }),
  output: apiKeySchema,
});

/** DELETE /api/teams/:team/api-keys/:id/limit: no limit any more (harmless when there is none). */
export const clearApiKeyLimitRoute = defineRoute({ method: "DELETE", path: "/api/teams/:team/api-keys/:id/limit", params, output: apiKeySchema });
