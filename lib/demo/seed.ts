import type { Db } from "../db/client";
import type { TeamRole } from "../db/generated/enums";
import { demoPersonas } from "../auth/demo-personas";
import { createTeam } from "../teams/create-team";
import { onTeamCreated } from "../teams/on-team-created";
import { seedDemoCoupons } from "./seed-coupons";
import { seedHistory } from "./seed-history";

// Demo data: the personas, a shared team with a member in every role, a team none of them can see,
// and some history made through the billing core. Returns false when it was already there.
export const demoTeams = { erin: "erin-ito", olivia: "olivia-okafor", pat: "pat-moreau", acme: "acme-ai", globex: "globex-labs" } as const;

const extraPeople = [
  { email: "adam@demo.creditdesk.dev", name: "Adam Admin" },
  { email: "bill@demo.creditdesk.dev", name: "Bill Billing" },
  { email: "mia@demo.creditdesk.dev", name: "Mia Member" },
  { email: "gus@demo.creditdesk.dev", name: "Gus Globex" },
];

export async function seedDemo({ db }: { db: Db }): Promise<boolean> {
  if (await db.user.findUnique({ where: { email: demoPersonas[0].email } })) return false;
  await db.$transaction(
    async (tx) => {
      const users = new Map<string, string>();
      for (const p of [...demoPersonas, ...extraPeople]) {
        const u = await tx.user.create({ data: { email: p.email, name: p.name, emailVerified: new Date(), isPlatformAdmin: p.email.startsWith("pat@") } });
        users.set(p.email.split("@")[0]!, u.id);
      }
      const id = (k: string) => users.get(k)!;
      for (const [key, slug] of [
        ["erin", demoTeams.erin],
        ["olivia", demoTeams.olivia],
        ["pat", demoTeams.pat],
      ] as const) {
        const name = demoPersonas.find((p) => p.email.startsWith(`${key}@`))!.name;
        const team = await createTeam({ db: tx, name: `${name.split(" ")[0]}'s team`, ownerUserId: id(key), personal: true, slug });
        await onTeamCreated({ db: tx, teamId: team.id });
      }
      const acme = await createTeam({ db: tx, name: "Acme AI", ownerUserId: id("olivia"), slug: demoTeams.acme });
      await onTeamCreated({ db: tx, teamId: acme.id });
      const teamIds: Record<string, string> = { acme: acme.id };
      for (const slug of [demoTeams.erin, demoTeams.olivia]) teamIds[slug] = (await tx.team.findUniqueOrThrow({ where: { slug } })).id;
      const roles: [string, TeamRole][] = [
        ["adam", "ADMIN"],
        ["bill", "BILLING"],
        ["mia", "MEMBER"],
        ["erin", "MEMBER"],
      ];
      for (const [who, role] of roles) await tx.membership.create({ data: { teamId: acme.id, userId: id(who), role } });
      const globex = await createTeam({ db: tx, name: "Globex Labs", ownerUserId: id("gus"), slug: demoTeams.globex });
      await onTeamCreated({ db: tx, teamId: globex.id });
      await seedHistory(tx, { acme: acme.id, erin: teamIds[demoTeams.erin]!, olivia: teamIds[demoTeams.olivia]! });
    },
    { timeout: 60_000 },
  );
  await seedDemoCoupons({ db });
  return true;
}
