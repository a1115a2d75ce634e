import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { can } from "../lib/auth/permissions";
import { ensurePersonalTeam } from "../lib/teams/ensure-personal-team";
import { listUserTeams } from "../lib/teams/list-user-teams";
import { resolveTeamActor } from "../lib/teams/resolve-team-actor";
import { createTeam } from "../lib/teams/create-team";
import { createTestDatabase, type TestDatabase } from "./helpers/db";

describe("teams and membership", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.close());

  it("first sign-in creates exactly one personal team with the user as OWNER, even when sign-ins race", async () => {
    const user = await t.db.user.create({ data: { email: "race@example.com", name: "Rae" } });
    const teams = await Promise.all(Array.from({ length: 8 }, () => ensurePersonalTeam({ db: t.db, userId: user.id })));
    expect(new Set(teams.map((x) => x.id)).size).toBe(1);
    const memberships = await t.db.membership.findMany({ where: { userId: user.id } });
    expect(memberships).toHaveLength(1);
    expect(memberships[0]?.role).toBe("OWNER");
    expect(teams[0]?.name).toBe("Rae's team");
    expect(teams[0]?.slug).toMatch(/^rae-s-team-[0-9a-f]{6}$/);
  });

  it("resolves a member's actor and finds nothing for a non-member, by slug or by id", async () => {
    const a = await t.db.user.create({ data: { email: "a@example.com" } });
    const b = await t.db.user.create({ data: { email: "b@example.com" } });
    const teamA = await t.db.$transaction((tx) => createTeam({ db: tx, name: "Alpha", ownerUserId: a.id }));
    const teamB = await t.db.$transaction((tx) => createTeam({ db: tx, name: "Beta", ownerUserId: b.id }));
    await t.db.membership.create({ data: { teamId: teamA.id, userId: b.id, role: "MEMBER" } });

    const own = await resolveTeamActor({ db: t.db, userId: a.id, team: { slug: teamA.slug } });
    expect(own?.actor).toMatchObject({ kind: "user", teamId: teamA.id, role: "OWNER" });
    expect(await resolveTeamActor({ db: t.db, userId: a.id, team: { slug: teamB.slug } })).toBeNull();
    expect(await resolveTeamActor({ db: t.db, userId: a.id, team: { id: teamB.id } })).toBeNull();

    const asMember = await resolveTeamActor({ db: t.db, userId: b.id, team: { id: teamA.id } });
    expect(asMember?.role).toBe("MEMBER");
    expect(can(asMember!.actor, "team:read")).toBe(true);
    expect(can(asMember!.actor, "billing:write")).toBe(false);
    expect(can(asMember!.actor, "apikeys:manage")).toBe(false);

    expect((await listUserTeams({ db: t.db, userId: b.id })).map((x) => x.name).sort()).toEqual(["Alpha", "Beta"]);
  });
});

describe("permissions", () => {
  it("gives each role and key role exactly its grants", () => {
    const user = (role: "OWNER" | "ADMIN" | "BILLING" | "MEMBER") => ({ kind: "user" as const, userId: "u", teamId: "t", role, isPlatformAdmin: false });
    expect(can(user("BILLING"), "billing:write")).toBe(true);
    expect(can(user("BILLING"), "apikeys:manage")).toBe(false);
    expect(can(user("ADMIN"), "members:manage")).toBe(true);
    const key = (keyRole: "READ_ONLY" | "BILLING") => ({ kind: "apiKey" as const, apiKeyId: "k", keyName: "k", teamId: "t", keyRole });
    expect(can(key("READ_ONLY"), "usage:record")).toBe(false);
    expect(can(key("READ_ONLY"), "billing:read")).toBe(true);
    expect(can(key("BILLING"), "usage:record")).toBe(true);
    expect(can(key("BILLING"), "apikeys:manage")).toBe(false);
  });
});
