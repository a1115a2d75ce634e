"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { teamAction } from "@/lib/auth/actions";
import { idParam } from "@/lib/auth/input-text";
import { createApiKey } from "@/lib/billing/api-keys/create-api-key";
import { revokeApiKey } from "@/lib/billing/api-keys/revoke-api-key";

// Managing a team's API keys: OWNER and ADMIN (apikeys:manage). The secret is returned once, by create, and never again.

export const createApiKeyAction = teamAction(
  {
    input: z.object({
      name: z.string().trim().min(1, "Give the key a name").max(100, "At most 100 characters"),
      role: z.enum(["READ_ONLY", "BILLING"], { error: "Choose read-only or billing" }),
    }),
    permission: "apikeys:manage",
  },
  async ({ input, actor, team, db }) => {
    const { apiKey, secret } = await createApiKey({ db, teamId: team.id, name: input.name, role: input.role, createdByUserId: actor.userId });
    revalidatePath(`/t/${team.slug}/settings/api-keys`);
    return { id: apiKey.id, name: apiKey.name, secret };
  },
);

export const revokeApiKeyAction = teamAction(
  { input: z.object({ id: idParam }), permission: "apikeys:manage" },
  async ({ input, actor, team, db }) => {
    const key = await revokeApiKey({ db, teamId: team.id, apiKeyId: input.id, actorUserId: actor.userId });
    revalidatePath(`/t/${team.slug}/settings/api-keys`);
    return { id: key.id };
  },
);
