import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";

/** POST /api/teams: the signed-in person creates another team and owns it (their personal team stays). */
export const createTeamRoute = defineRoute({
  method: "POST",
  path: "/api/teams",
  body: z.strictObject({ name: z.string().trim().min(1, "Give the team a name").max(60, "At most 60 characters") }),
  output: z.object({ slug: z.string(), name: z.string() }),
});
