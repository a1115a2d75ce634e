import { expect, type Page } from "@playwright/test";
import { emulatorPort } from "../playwright.config";

// The Stripe emulator the e2e server runs, as the specs drive it: its control API, its Stripe.js stand-in, and its
// embedded Checkout card form.

export const emulator = `http://127.0.0.1:${emulatorPort}`;

/** POSTs to the emulator's control API (`/_emulator/<path>`); a refusal fails the test with the emulator's answer. */
export async function control<T = Record<string, unknown>>(path: string, body: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(`${emulator}/_emulator/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`emulator ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Stripe.js cannot load offline: the emulator's stand-in answers js.stripe.com, so embedded Checkout mounts. */
export async function serveStripeJs(page: Page) {
  const script = await (await fetch(`${emulator}/stripe-js/stripe.js`)).text();
  await page.route("https://js.stripe.com/**", (route) => route.fulfill({ status: 200, contentType: "application/javascript", body: script }));
}

/** Fills the emulator's card form inside the embedded checkout iframe and pays. */
export async function payInEmbeddedCheckout(page: Page, number: string) {
  const frame = page.frameLocator('iframe[title="Secure checkout"]');
  await expect(frame.locator("#checkout-amount")).toBeVisible();
  const email = frame.locator("#email");
  if ((await email.count()) > 0 && (await email.inputValue()) === "") await email.fill("erin@demo.creditdesk.dev");
  await frame.locator("#card-number").fill(number);
  await frame.locator("#card-expiry").fill("12 / 34");
  await frame.locator("#card-cvc").fill("123");
  const name = frame.locator("#cardholder-name");
  if ((await name.count()) > 0) await name.fill("Erin Ito");
  await frame.locator("#pay-button").click();
}
