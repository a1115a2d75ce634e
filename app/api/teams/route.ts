import { reply, route } from "@/lib/edge/route";
import { createAnotherTeam } from "@/lib/teams/create-another-team";
import { createTeamRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(createTeamRoute, { auth: "user" }, async ({ db, user, body }) =>
  reply(await createAnotherTeam({ db, userId: user.id, name: body.name }), { status: 201 }),
);
