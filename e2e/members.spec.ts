import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { createTeam } from "../lib/teams/create-team";
import { e2eDb } from "./db";
import { sameOrigin, signInAs } from "./helpers";
import { linkIn, signInByEmail } from "./mail";

// Members and roles end to end: an owner creates a team, invites a billing member by email, the invitee (signed in as
// that address) accepts from the emailed link, the owner changes their role and removes them; the wrong person and a
// used link are refused; the last owner can be neither demoted nor removed.

test("an owner invites a billing member by email, changes their role, removes them; the last owner stays", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const run = Date.now().toString(36);
  const teamName = `Members E2E ${run}`;
  const invitee = `billing-${run}@example.test`;

  await signInAs(page, "Olivia Okafor");
  await page.getByRole("link", { name: "+ New team" }).click();
  await page.getByLabel("Team name").fill(teamName);
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(/\/t\/[^/]+\/settings\/members$/);
  const slug = /\/t\/([^/]+)\/settings/.exec(page.url())![1]!;
  await expect(page.getByRole("heading", { name: "Members", level: 1 })).toBeVisible();
  const guide = page.getByRole("complementary", { name: "What each role may do" });
  await expect(guide).toContainText("Billing");
  await expect(guide).toContainText("A team always keeps at least one owner");
  await expect(page.getByText("No open invitations.")).toBeVisible();

  // A bad address is refused in place; then the invitation goes out by email.
  const invite = page.getByRole("form", { name: "Invite someone" });
  await invite.getByLabel("Email").fill("not-an-email");
  await invite.getByRole("button", { name: "Send invitation" }).click();
  await expect(invite.getByRole("alert")).toContainText("Enter an email address");
  await expect(invite.getByRole("alert")).not.toContainText("email:");
  await expect(invite.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await invite.getByLabel("Email").fill(invitee);
  await invite.getByLabel("Role").selectOption("BILLING");
  await invite.getByRole("button", { name: "Send invitation" }).click();
  await expect(invite.getByRole("status")).toContainText(`Invitation emailed to ${invitee}`);
  const pendingRow = page.getByRole("row", { name: new RegExp(invitee) });
  await expect(pendingRow).toContainText("Billing");

  const link = await linkIn(invitee, /https?:\/\/[^\s"'<>]+\/invite\?token=[^\s"'<>]+/, 75_000);

  // The owner opening the link is the wrong person: a clear refusal, nothing changes.
  await page.goto(link);
  await expect(page.getByRole("alert").filter({ hasText: `This invitation is for ${invitee}` })).toBeVisible();

  // The invitee signs in as that address and accepts.
  const mailbox = await browser.newContext();
  const inbox = await mailbox.newPage();
  await signInByEmail(inbox, invitee);
  await inbox.goto(link);
  await expect(inbox.getByRole("heading", { name: `Join ${teamName}` })).toBeVisible();
  await inbox.getByRole("button", { name: `Accept and join ${teamName}` }).click();
  await expect(inbox).toHaveURL(new RegExp(`/t/${slug}/overview$`));
  // A used link is refused.
  await inbox.goto(link);
  await expect(inbox.getByRole("alert").filter({ hasText: "already used" })).toBeVisible();

  // The owner sees the new member, changes the role, then removes them.
  await page.goto(`/t/${slug}/settings/members`);
  await expect(page.getByText("No open invitations.")).toBeVisible();
  const role = page.getByLabel(`Role of ${invitee}`);
  await expect(role).toHaveValue("BILLING");
  await role.selectOption("MEMBER");
  const saved = page.waitForResponse((r) => r.url().endsWith("/role") && r.request().method() === "POST");
  await page.getByRole("button", { name: "Save role" }).click();
  expect((await saved).status()).toBe(200);
  await expect(page.getByRole("button", { name: "Save role" })).toHaveCount(0);
  await page.reload();
  await expect(page.getByLabel(`Role of ${invitee}`)).toHaveValue("MEMBER");

  await page.getByRole("button", { name: `Remove ${invitee}` }).click();
  await page
    .getByRole("group", { name: `Confirm: remove member (${invitee})` })
    .getByRole("button", { name: "Remove member" })
    .click();
  await expect(page.getByRole("row", { name: new RegExp(invitee) })).toHaveCount(0);
  // Removed: their next visit to the team is a 404.
  const gone = await inbox.goto(`/t/${slug}/overview`);
  expect(gone?.status()).toBe(404);
  await mailbox.close();

  // The last owner can neither be demoted nor removed (nor leave).
  await page.getByLabel("Role of Olivia Okafor").selectOption("ADMIN");
  await page.getByRole("button", { name: "Save role" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "A team always keeps at least one owner" })).toBeVisible();
  await page.getByRole("button", { name: "Leave team" }).click();
  await page.getByRole("group", { name: "Confirm: leave team" }).getByRole("button", { name: "Leave team" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "A team always keeps at least one owner" })).toBeVisible();
  const db = e2eDb();
  const team = await db.team.findUniqueOrThrow({ where: { slug }, select: { id: true } });
  const olivia = await db.membership.findFirstOrThrow({ where: { teamId: team.id, user: { email: "olivia@demo.creditdesk.dev" } } });
  const remove = await page.request.post(`/api/teams/${slug}/members/${olivia.id}/remove`, { headers: sameOrigin(page), data: {} });
  expect(remove.status()).toBe(409);
  expect(await db.membership.findMany({ where: { teamId: team.id }, select: { role: true } })).toEqual([{ role: "OWNER" }]);

  const actions = (await db.auditLog.findMany({ where: { teamId: team.id }, orderBy: { createdAt: "asc" }, select: { action: true } })).map((a) => a.action);
  expect(actions).toEqual(["team.created", "member.invited", "invitation.accepted", "member.role_changed", "member.removed"]);
});

test("a member cannot invite, and sees what each role may do", async ({ page }) => {
  await signInAs(page, "Erin Ito");
  await page.goto("/t/acme-ai/settings/members");
  await expect(page.getByText("Only the team's owners and admins can invite people or change roles.")).toBeVisible();
  await expect(page.getByRole("complementary", { name: "What each role may do" })).toBeVisible();
  const r = await page.request.post("/api/teams/acme-ai/invitations", { headers: sameOrigin(page), data: { email: "x@example.test", role: "MEMBER" } });
  expect(r.status()).toBe(403);
});

test("an owner revokes an invitation (a resend within the minute is refused)", async ({ page }) => {
  const db = e2eDb();
  const olivia = await db.user.findUniqueOrThrow({ where: { email: "olivia@demo.creditdesk.dev" } });
  const team = await createTeam({ db, name: `Invites E2E ${Date.now().toString(36)}`, ownerUserId: olivia.id });
  const address = `later-${Date.now().toString(36)}@example.test`;
  await signInAs(page, "Olivia Okafor");
  await page.goto(`/t/${team.slug}/settings/members`);
  const invite = page.getByRole("form", { name: "Invite someone" });
  await invite.getByLabel("Email").fill(address);
  await invite.getByLabel("Role").selectOption("ADMIN");
  await invite.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByRole("row", { name: new RegExp(address) })).toContainText("Admin");

  await page.getByRole("button", { name: `Resend the invitation for ${address}` }).click();
  await expect(page.getByRole("alert").filter({ hasText: "sent less than a minute ago" })).toBeVisible();
  await page.getByRole("button", { name: `Revoke the invitation for ${address}` }).click();
  await page
    .getByRole("group", { name: `Confirm revoking the invitation for ${address}` })
    .getByRole("button", { name: "Revoke invitation" })
    .click();
  await expect(page.getByText("No open invitations.")).toBeVisible();
  const revoked = await db.auditLog.findFirst({ where: { teamId: team.id, action: "invitation.revoked" } });
  expect(revoked?.data).toMatchObject({ email: address, role: "ADMIN" });
});

test("an invitation whose sender can no longer invite says so; an owner's resend makes it stand again", async ({ page }) => {
  const db = e2eDb();
  const olivia = await db.user.findUniqueOrThrow({ where: { email: "olivia@demo.creditdesk.dev" } });
  const run = Date.now().toString(36);
  const team = await createTeam({ db, name: `Stale invite E2E ${run}`, ownerUserId: olivia.id });
  const sender = await db.user.create({ data: { email: `leaving-admin-${run}@example.test`, name: `Leaving Admin ${run}` } });
  const membership = await db.membership.create({ data: { teamId: team.id, userId: sender.id, role: "ADMIN" } });
  const address = `stale-${run}@example.test`;
  // An invitation that admin sent two minutes ago (so a resend is not refused as too soon); then they are removed.
  const invitation = await db.teamInvitation.create({
    data: {
      teamId: team.id,
      email: address,
      role: "ADMIN",
      tokenHash: randomBytes(32).toString("hex"),
      invitedByUserId: sender.id,
      createdAt: new Date(Date.now() - 120_000),
      expiresAt: new Date(Date.now() + 7 * 86_400_000 - 120_000),
    },
  });
  await db.membership.delete({ where: { id: membership.id } });

  await signInAs(page, "Olivia Okafor");
  await page.goto(`/t/${team.slug}/settings/members`);
  const row = page.getByRole("row", { name: new RegExp(address) });
  await expect(row).toContainText(`No longer valid: Leaving Admin ${run} can no longer invite`);
  await page.getByRole("button", { name: `Resend the invitation for ${address}` }).click();
  await expect(row).not.toContainText("No longer valid");
  await expect(row).toContainText("Olivia");
  expect((await db.teamInvitation.findUniqueOrThrow({ where: { id: invitation.id } })).invitedByUserId).toBe(olivia.id);
});
