import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";

/**
 * GET /api/v1/keys/current (team:read, so any key): which key this is, from the authentication alone (no further
 * query): its id, name, role, team and whether it is a test key. A program checks its key with it; `bench:ledger` measures it as the
 * authenticated no-op beside usage. A signed-in member naming the team with ?team= has no key: 404.
 */
export const currentKeyRoute = defineRoute({
  method: "GET",
  path: "/api/v1/keys/current",
  output: z.object({
    id: z.string(),
    name: z.string(),
    role: z.enum(["READ_ONLY", "BILLING"]),
    team_id: z.string(),
    /** A test key (cdk_test_…): its usage counts toward the plan but never starts a charge. */
    test: z.boolean(),
  }),
});
