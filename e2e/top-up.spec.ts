import { expect, type Page, test } from "@playwright/test";
import { control, emulator, payInEmbeddedCheckout, serveStripeJs } from "./emulator";
import { sameOrigin, signInAs } from "./helpers";

// Top Up end to end: the real app (demo mode) with the Stripe emulator. Stripe.js cannot load offline, so the
// emulator's stand-in answers js.stripe.com for embedded Checkout; one test leaves it unanswered (hosted fallback).

const credits = (text: string | null) => BigInt((text ?? "").replace(/[^\d-]/g, ""));

async function balanceOnTopUp(page: Page, slug: string): Promise<bigint> {
  await page.goto(`/t/${slug}/top-up`);
  return credits(await page.getByTestId("balance").textContent());
}

/**
 * The checkout iframe's viewport, against the height of the page it shows. They must match (give or take the
 * stand-in's 640px floor and a few pixels): the emulator page once reported its viewport as its height, so the iframe
 * grew by a few pixels on every frame, for as long as checkout was open, and clicks raced that layout.
 */
async function checkoutFit(page: Page): Promise<{ viewport: number; content: number }> {
  const frame = await (await page.locator('iframe[title="Secure checkout"]').elementHandle())?.contentFrame();
  if (!frame) throw new Error("no checkout iframe");
  return frame.evaluate(() => ({
    viewport: window.innerHeight,
    content: Math.ceil(Math.max(document.body.scrollHeight, document.body.getBoundingClientRect().height)),
  }));
}
const fits = ({ viewport, content }: { viewport: number; content: number }) => viewport >= content && viewport <= Math.max(content + 16, 640);

async function sessionIdFromIframe(page: Page): Promise<string> {
  const src = await page.locator('iframe[title="Secure checkout"]').getAttribute("src");
  const secret = decodeURIComponent((src ?? "").split("/c/embedded/")[1] ?? "");
  return secret.split("_secret_")[0]!;
}

test("a $25 card top-up in embedded Checkout shows the credits on the return page without reloading", async ({ page }) => {
  await serveStripeJs(page);
  await signInAs(page, "Erin Ito");
  const before = await balanceOnTopUp(page, "erin-ito");

  await expect(page.getByRole("radio", { name: /^Card/ })).toBeChecked();
  await page.getByText("$25", { exact: true }).click();
  await expect(page.getByTestId("pay-amount")).toHaveText("$25.00");
  await expect(page.getByTestId("credits-summary")).toHaveText("2,000,000 credits");
  // Naver Pay needs KRW: offered, but unavailable with the reason.
  await expect(page.getByRole("radio", { name: /Naver Pay/ })).toBeDisabled();
  await expect(page.getByText(/Naver Pay charges only in Korean won/)).toBeVisible();
  await expect(page.getByText("Secure checkout by Stripe opens here.")).toBeVisible();

  await page.getByRole("button", { name: "Pay $25.00" }).click();
  await expect(page.locator('iframe[title="Secure checkout"]')).toBeVisible();
  await expect(page.frameLocator('iframe[title="Secure checkout"]').locator("#checkout-amount")).toHaveText("$25.00");
  // The iframe fits its page, and still does after the time it takes to fill the form in: it does not keep growing.
  await expect.poll(async () => fits(await checkoutFit(page))).toBe(true);
  const settled = await checkoutFit(page);
  const frame = page.frameLocator('iframe[title="Secure checkout"]');
  await frame.locator("#card-number").fill("4242 4242 4242 4242");
  await frame.locator("#cardholder-name").fill("Erin Ito");
  expect(await checkoutFit(page)).toEqual(settled);
  await payInEmbeddedCheckout(page, "4242 4242 4242 4242");

  await expect(page).toHaveURL(/\/t\/erin-ito\/top-up\/return\?session_id=cs_test_/);
  await expect(page.getByRole("heading", { name: "Payment received" })).toBeVisible();
  await expect(page.getByTestId("result-message")).toContainText("2,000,000 credits were added");
  await expect(page.getByTestId("balance")).toHaveText(new RegExp(`^${(before + 2_000_000n).toLocaleString("en-US")}`));

  // History: newest first, succeeded, $25.00.
  await page.getByRole("link", { name: "← Back to Top Up" }).click();
  const row = page.getByTestId("payment-row").first();
  await expect(row).toContainText("$25.00");
  await expect(row).toContainText("2,000,000");
  await expect(row).toContainText("Succeeded");
  await expect(row).toContainText("Card");
  await expect(row).toContainText("Top Up");
});

test("a declined card shows why and credits nothing", async ({ page }) => {
  await serveStripeJs(page);
  await signInAs(page, "Erin Ito");
  const before = await balanceOnTopUp(page, "erin-ito");
  await page.getByText("Custom", { exact: true }).click();
  await page.getByLabel("Custom amount (USD)").fill("12.50");
  await expect(page.getByTestId("credits-summary")).toHaveText("1,000,000 credits");
  await page.getByRole("button", { name: "Pay $12.50" }).click();
  await payInEmbeddedCheckout(page, "4000 0000 0000 0002");
  const frame = page.frameLocator('iframe[title="Secure checkout"]');
  await expect(frame.locator("#payment-error")).toHaveText("Your card was declined.");
  await expect(page).toHaveURL(/\/t\/erin-ito\/top-up$/);

  // By keyboard: focus may still be inside the checkout iframe after the decline.
  await page.getByRole("button", { name: /Change amount/ }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: "Pay $12.50" })).toBeVisible();
  expect(await balanceOnTopUp(page, "erin-ito")).toBe(before);
});

test("a pending payment shows pending, then credits by itself when it settles", async ({ page }) => {
  await serveStripeJs(page);
  await signInAs(page, "Erin Ito");
  const before = await balanceOnTopUp(page, "erin-ito");
  await page.getByText("$10", { exact: true }).click();
  await page.getByRole("button", { name: "Pay $10.00" }).click();
  await expect(page.locator('iframe[title="Secure checkout"]')).toBeVisible();
  const sessionId = await sessionIdFromIframe(page);

  // The customer pays with a method that confirms later; Stripe then sends them back.
  const done = await control<{ session: { payment_intent: { id: string } } }>(`checkout_sessions/${sessionId}/complete`, { outcome: "pending" });
  await page.goto(`/t/erin-ito/top-up/return?session_id=${sessionId}`);
  await expect(page.getByRole("heading", { name: "Payment pending" })).toBeVisible();
  await expect(page.getByTestId("result-message")).toContainText("800,000 credits");
  await expect(page.getByTestId("balance")).toHaveText(new RegExp(`^${before.toLocaleString("en-US")}`));

  await control(`payment_intents/${done.session.payment_intent.id}/settle`, { outcome: "succeeded" });
  await expect(page.getByRole("heading", { name: "Payment received" })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("balance")).toHaveText(new RegExp(`^${(before + 800_000n).toLocaleString("en-US")}`));
});

test("a promo code made by a platform admin adds its bonus to a top-up", async ({ page, browser }) => {
  const admin = await browser.newPage();
  await signInAs(admin, "Pat Moreau");
  await admin.goto("/admin");
  await admin.getByRole("link", { name: /Coupons and promo codes/ }).click();
  await admin.getByLabel("Code", { exact: true }).fill("e2ebonus20");
  await admin.getByLabel("Bonus on a top-up (%)").fill("20");
  await admin.getByLabel("Minimum top-up (USD, optional)").fill("20");
  await admin.getByRole("button", { name: "Create code" }).click();
  await expect(admin.getByRole("status")).toHaveText("Created E2EBONUS20.");
  await expect(admin.getByRole("link", { name: "E2EBONUS20: edit and see redemptions" })).toBeVisible();
  await admin.close();

  await serveStripeJs(page);
  await signInAs(page, "Erin Ito");
  const before = await balanceOnTopUp(page, "erin-ito");
  await page.getByText("$10", { exact: true }).click();
  await page.getByLabel(/Coupon or promo code/).fill("nope-not-a-code");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("coupon-status")).toHaveText(/does not exist/);

  await page.getByLabel(/Coupon or promo code/).fill("e2ebonus20");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("coupon-status")).toHaveText("That code needs a top-up of at least $20.00.");
  await page.getByText("$25", { exact: true }).click();
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("E2EBONUS20 applied: a 20% bonus (+400,000 credits).")).toBeVisible();
  await expect(page.getByTestId("credits-summary")).toHaveText("2,400,000 credits");

  await page.getByRole("button", { name: "Pay $25.00" }).click();
  await payInEmbeddedCheckout(page, "4242424242424242");
  await expect(page.getByRole("heading", { name: "Payment received" })).toBeVisible();
  await expect(page.getByTestId("result-message")).toContainText("2,400,000 credits were added");
  await expect(page.getByTestId("balance")).toHaveText(new RegExp(`^${(before + 2_400_000n).toLocaleString("en-US")}`));

  // The team cannot use the code a second time.
  await page.goto("/t/erin-ito/top-up");
  await page.getByLabel(/Coupon or promo code/).fill("E2EBONUS20");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("coupon-status")).toHaveText("Your team has already used this code.");
});

test("without Stripe.js the top-up goes through Stripe's hosted page", async ({ page }) => {
  // No route for js.stripe.com: offline, the script fails to load and the page falls back to the hosted checkout.
  await page.route("https://js.stripe.com/**", (route) => route.abort("internetdisconnected"));
  await signInAs(page, "Erin Ito");
  const before = await balanceOnTopUp(page, "erin-ito");
  // Stripe.js loads when the person reaches for the form; offline it fails, and the page says where payment goes.
  await page.getByText("$10", { exact: true }).click();
  await expect(page.getByText("You will be taken to Stripe's checkout page.")).toBeVisible({ timeout: 15_000 });
  await page.getByRole("button", { name: "Pay $10.00" }).click();
  await expect(page).toHaveURL(new RegExp(`^${emulator}/c/pay/cs_test_`));
  await expect(page.locator("#checkout-amount")).toHaveText("$10.00");
  await page.locator("#card-number").fill("4242 4242 4242 4242");
  await page.locator("#card-expiry").fill("12 / 34");
  await page.locator("#card-cvc").fill("123");
  const email = page.locator("#email");
  if ((await email.count()) > 0 && (await email.inputValue()) === "") await email.fill("erin@demo.creditdesk.dev");
  await page.locator("#pay-button").click();
  await expect(page).toHaveURL(/\/t\/erin-ito\/top-up\/return\?session_id=cs_test_/);
  await expect(page.getByRole("heading", { name: "Payment received" })).toBeVisible();
  await expect(page.getByTestId("balance")).toHaveText(new RegExp(`^${(before + 800_000n).toLocaleString("en-US")}`));
});

test("a member sees Top Up read-only; bad amounts are refused with a clear message", async ({ page }) => {
  await signInAs(page, "Erin Ito");
  await page.goto("/t/acme-ai/top-up");
  await expect(page.getByText(/Your role in this team \(member\) can see this page but not pay/)).toBeVisible();
  await expect(page.getByRole("button", { name: /^Pay/ })).toBeDisabled();
  const res = await page.request.post("/api/teams/acme-ai/top-ups", { data: { amount: "25", method: "card" }, headers: sameOrigin(page) });
  expect(res.status()).toBe(403);

  await page.goto("/t/erin-ito/top-up");
  await page.getByText("Custom", { exact: true }).click();
  const input = page.getByLabel("Custom amount (USD)");
  for (const [typed, message] of [
    ["2", "The minimum top-up is $5.00."],
    ["25.505", "Enter an amount in dollars with at most two decimals, like 25 or 25.50."],
    ["abc", "Enter an amount in dollars with at most two decimals, like 25 or 25.50."],
    ["20000", "The maximum top-up is $10,000.00."],
  ] as const) {
    await input.fill(typed);
    await input.blur();
    await expect(page.getByText(message)).toBeVisible();
  }
  // The server refuses the same, and a tampered team or extra field, whatever the browser sends.
  for (const [data, status, code] of [
    [{ amount: "1e3", method: "card" }, 400, "VALIDATION_FAILED"],
    [{ amount: "-5", method: "card" }, 400, "VALIDATION_FAILED"],
    [{ amount: "25", method: "naver_pay" }, 400, "VALIDATION_FAILED"],
    [{ amount: "25", method: "card", credits: "999999999" }, 400, "VALIDATION_FAILED"],
  ] as const) {
    const r = await page.request.post("/api/teams/erin-ito/top-ups", { data, headers: sameOrigin(page) });
    expect(r.status(), JSON.stringify(data)).toBe(status);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe(code);
  }
  expect((await page.request.post("/api/teams/globex-labs/top-ups", { data: { amount: "25", method: "card" }, headers: sameOrigin(page) })).status()).toBe(404);
});
