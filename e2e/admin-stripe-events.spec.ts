import { expect, test } from "@playwright/test";
import Stripe from "stripe";
import { emulatorPort } from "../playwright.config";
import { e2eDb } from "./db";
import { signInAs } from "./helpers";

// A platform admin sees the Stripe events Creditdesk could not apply, replays one once it can be applied, and
// dismisses one that never will; nobody else can reach the page.

async function signedPost(request: import("@playwright/test").APIRequestContext, payload: string) {
  const { secret } = (await (await fetch(`http://127.0.0.1:${emulatorPort}/_emulator/webhook`)).json()) as { secret: string };
  const signature = new Stripe("sk_test_unused").webhooks.generateTestHeaderString({ payload, secret });
  return request.post("/api/stripe/webhook", { data: payload, headers: { "content-type": "application/json", "stripe-signature": signature } });
}

test("a malformed signed event is kept, cannot be replayed into anything, and can be dismissed; a kept good event replays", async ({ page, request }) => {
  const suffix = Date.now().toString(36);
  const broken = await signedPost(request, JSON.stringify({ id: `evt_e2e_nodata_${suffix}`, object: "event", type: "charge.refunded" }));
  expect(broken.status()).toBe(200);
  expect(await broken.json()).toMatchObject({ processed: false, failure: { code: "MALFORMED_EVENT" } });

  // A well-formed event kept after failing (as when Stripe was unreachable): replaying it applies it.
  const good = JSON.stringify({
    id: `evt_e2e_good_${suffix}`,
    object: "event",
    type: "customer.created",
    livemode: false,
    data: { object: { id: `cus_e2e_${suffix}`, object: "customer" } },
  });
  await e2eDb().stripeEventFailure.create({
    data: {
      id: `evt_e2e_good_${suffix}`,
      type: "customer.created",
      rawBody: Buffer.from(good),
      error: "STRIPE_UNAVAILABLE: could not reach Stripe",
      attempts: 8,
      parkedAt: new Date(),
    },
  });

  await signInAs(page, "Pat Moreau", "/admin");
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Failed Stripe events" }).click();
  await expect(page.getByRole("heading", { name: "Failed Stripe events" })).toBeVisible();
  page.on("dialog", (d) => void d.accept());

  const brokenRow = page.getByTestId("failed-event").filter({ hasText: `evt_e2e_nodata_${suffix}` });
  await expect(brokenRow).toContainText("Malformed");
  await brokenRow.getByRole("button", { name: `Replay evt_e2e_nodata_${suffix}` }).click();
  await expect(brokenRow.getByRole("alert")).toContainText("Still failing");
  await brokenRow.getByRole("button", { name: `Dismiss evt_e2e_nodata_${suffix}` }).click();
  await expect(page.getByTestId("failed-event").filter({ hasText: `evt_e2e_nodata_${suffix}` })).toHaveCount(0);

  const goodRow = page.getByTestId("failed-event").filter({ hasText: `evt_e2e_good_${suffix}` });
  await expect(goodRow).toContainText("Gave up retrying");
  await goodRow.getByRole("button", { name: `Replay evt_e2e_good_${suffix}` }).click();
  await expect(page.getByTestId("failed-event").filter({ hasText: `evt_e2e_good_${suffix}` })).toHaveCount(0);
  expect(await e2eDb().stripeEventFailure.findUnique({ where: { id: `evt_e2e_good_${suffix}` } })).toMatchObject({ resolution: "replayed" });
  expect(await e2eDb().stripeEvent.count({ where: { id: `evt_e2e_good_${suffix}` } })).toBe(1);

  await page.getByRole("link", { name: "Show resolved too" }).click();
  await expect(page.getByTestId("failed-event").filter({ hasText: `evt_e2e_good_${suffix}` })).toContainText("Resolved (replayed)");
});

test("only platform admins reach the failed events page", async ({ page }) => {
  await signInAs(page, "Erin Ito");
  const res = await page.goto("/admin/stripe-events");
  expect(res?.status()).toBe(404);
});
