import http from "node:http";
import type { AddressInfo } from "node:net";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { createTeam } from "../lib/teams/create-team";
import { e2eDb } from "./db";
import { signInAs } from "./helpers";

// The webhooks settings page end to end: an owner adds an endpoint that points at a receiver on this machine (the e2e
// server allows private addresses, as the demo does), sees it listed, disables it, sees its deliveries, and deletes it
// after confirming; a short secret is refused with a clear message; a member is refused. Checked with axe on the way.

let receiver: http.Server;
let receiverUrl: string;
/** What the receiver got: each request's webhook-id header and raw body, with its headers for verification. */
const received: { id: string; body: string; headers: Record<string, string> }[] = [];
test.beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ id: String(req.headers["webhook-id"]), body, headers: req.headers as Record<string, string> });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/billing-events`;
});
test.afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

async function noAxeViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("an owner adds an endpoint with a generated secret, disables it, sees its deliveries and deletes it", async ({ page }) => {
  const db = e2eDb();
  const olivia = await db.user.findUniqueOrThrow({ where: { email: "olivia@demo.creditdesk.dev" } });
  const team = await createTeam({ db, name: `Hooks E2E ${Date.now()}`, ownerUserId: olivia.id });
  await signInAs(page, "Olivia Okafor");
  await page.goto(`/t/${team.slug}/settings`);
  await page.getByRole("link", { name: "Webhooks →" }).click();
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
  await expect(page.getByTestId("webhooks-empty")).toContainText("No webhook endpoints yet.");
  await noAxeViolations(page);

  // The seed's four events are chosen to begin with; each box says what its event means.
  await expect(page.getByRole("checkbox", { name: /invoice_paid/ })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: /balance_low/ })).not.toBeChecked();
  await expect(page.getByRole("checkbox", { name: /balance_low/ })).toHaveAccessibleDescription("The credit balance fell below the low-balance line.");
  await page.getByLabel("Endpoint URL").fill(receiverUrl);
  await page.getByLabel("Description (optional)").fill("Local receiver");
  await page.getByRole("checkbox", { name: /balance_low/ }).check();
  const secret = page.getByLabel("Signing secret");
  await secret.fill("too-short");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Secret" })).toHaveText("Secret must be at least 32 characters");
  await expect(secret).toHaveAttribute("aria-invalid", "true");

  await page.getByRole("button", { name: "Generate" }).click();
  await expect(secret).toHaveValue(/^[A-Za-z0-9_-]{43}$/);
  await expect(page.getByText("Copy this secret now")).toBeVisible();
  const generated = await secret.inputValue();
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByText(`Endpoint added: ${receiverUrl}`)).toBeVisible();
  await expect(secret).toHaveValue("");

  const card = page.getByTestId("webhook").filter({ hasText: receiverUrl });
  await expect(card).toContainText("Enabled");
  await expect(card).toContainText("balance low");
  await expect(card).toContainText(`…${generated.slice(-4)}`);
  await expect(card).not.toContainText(generated);
  const stored = await db.webhookEndpoint.findFirstOrThrow({ where: { teamId: team.id } });
  expect(stored).toMatchObject({ url: receiverUrl, secret: generated, description: "Local receiver" });

  await card.getByRole("button", { name: "Disable Local receiver" }).click();
  await expect(card).toContainText("Disabled by owner");
  await card.getByRole("button", { name: "Enable Local receiver" }).focus();
  await page.keyboard.press("Enter");
  await expect(card).toContainText("Enabled");

  // A delivery as the engine records it; the table shows it with its response and latency, and Resend answers.
  const event = await db.webhookEvent.create({ data: { teamId: team.id, type: "invoice_paid", data: {}, dedupeKey: `e2e-${team.id}` } });
  await db.webhookDelivery.create({
    data: { eventId: event.id, endpointId: stored.id, status: "FAILED", attempts: 3, lastStatusCode: 500, lastLatencyMs: 42, lastAttemptAt: new Date() },
  });
  await card.getByRole("button", { name: "Show deliveries to Local receiver" }).click();
  const row = card.getByRole("row", { name: new RegExp(event.id) });
  await expect(row).toContainText("Failed");
  await expect(row).toContainText("500");
  await expect(row).toContainText("42 ms");
  await noAxeViolations(page);
  await row.getByRole("button", { name: /^Resend/ }).click();
  await expect(row.getByRole("status")).toHaveText(/Resend queued/);
  // The app's queue makes the attempt: the receiver gets the event, signed with the generated secret (raw), and the row
  // turns to succeeded.
  await expect.poll(() => received.filter((r) => r.id === event.id).length, { timeout: 30_000 }).toBe(1);
  const got = received.find((r) => r.id === event.id)!;
  expect(new Webhook(generated, { format: "raw" }).verify(got.body, got.headers)).toMatchObject({ id: event.id, type: "invoice_paid" });
  await expect.poll(async () => (await db.webhookDelivery.findFirstOrThrow({ where: { eventId: event.id } })).status, { timeout: 10_000 }).toBe("SUCCEEDED");

  // Editing keeps the secret when the new-secret field is left empty.
  await card.getByRole("button", { name: "Edit Local receiver" }).click();
  const edit = card.getByRole("form", { name: "Edit Local receiver" });
  await edit.getByLabel("Description (optional)").fill("Books sync");
  await edit.getByRole("checkbox", { name: /balance_low/ }).uncheck();
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit).toHaveCount(0);
  await expect(card).toContainText("Books sync");
  await expect(card).not.toContainText("balance low");
  expect((await db.webhookEndpoint.findUniqueOrThrow({ where: { id: stored.id } })).secret).toBe(generated);

  await card.getByRole("button", { name: "Delete Books sync" }).click();
  const confirm = page.getByRole("group", { name: "Confirm deleting Books sync" });
  await expect(confirm).toContainText("This cannot be undone.");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(card).toBeVisible();
  await card.getByRole("button", { name: "Delete Books sync" }).click();
  await confirm.getByRole("button", { name: "Delete endpoint" }).click();
  await expect(page.getByTestId("webhooks-empty")).toBeVisible();
  expect(await db.webhookEndpoint.count({ where: { teamId: team.id } })).toBe(0);
  const audit = await db.auditLog.findMany({ where: { teamId: team.id, action: { startsWith: "webhook_endpoint." } }, orderBy: { createdAt: "asc" } });
  // Added; disabled, enabled, edited; deleted: none of them keeps the secret.
  expect(audit.map((a) => a.action)).toEqual([
    "webhook_endpoint.created",
    "webhook_endpoint.updated",
    "webhook_endpoint.updated",
    "webhook_endpoint.updated",
    "webhook_endpoint.deleted",
  ]);
  expect(JSON.stringify(audit)).not.toContain(generated);
});

test("a member cannot see or manage the team's webhooks", async ({ page }) => {
  await signInAs(page, "Erin Ito");
  await page.goto("/t/acme-ai/webhooks");
  await expect(page.getByText("Only the team's owners, admins and billing members can see and manage its webhooks.")).toBeVisible();
  expect((await page.request.get("/api/teams/acme-ai/webhooks")).status()).toBe(403);
});
