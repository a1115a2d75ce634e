import type { Db } from "../../db/client";
import { listMembers } from "../list-members";
import { listInvitations } from "./list-invitations";
import type { UserActor } from "./member-rules";

/** The members page's data: the members, the reader's role, and the open invitations for those who manage members. */
export async function readTeamMembers({ db, actor, personalTeam, manage }: { db: Db; actor: UserActor; personalTeam: boolean; manage: boolean }) {
  const [members, invitations] = await Promise.all([listMembers({ db, actor }), manage ? listInvitations({ db, actor }) : []]);
  return { yourRole: actor.role, personalTeam, members, invitations };
}
