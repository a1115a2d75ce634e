import { expect, type Page, test } from "@playwright/test";
import { ADMIN_PAGES, TEAM_PAGES } from "./pages";

// The dashboard on a 390 px phone: every section is reachable from the menu, the header leaves the first screen to the
// page, and every table keeps its amount and status columns on screen without scrolling sideways.
test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

/** Columns of every table on the page whose header names an amount or a status, and where their cells end up. */
async function offscreenCells(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const width = document.documentElement.clientWidth;
    document.querySelectorAll("table").forEach((table, t) => {
      const heads = Array.from(table.querySelectorAll("thead th"));
      heads.forEach((th, col) => {
        const name = (th.textContent ?? "").trim();
        if (!/amount|status|credits|total|balance/i.test(name)) return;
        const cells = Array.from(table.querySelectorAll("tbody tr"))
          .slice(0, 5)
          .map((tr) => tr.children[col] as HTMLElement | undefined)
          .filter((c): c is HTMLElement => !!c);
        for (const cell of [th as HTMLElement, ...cells]) {
          const r = cell.getBoundingClientRect();
          if (r.width === 0 || r.right > width + 1 || r.left < -1) {
            out.push(`table ${t + 1} "${name}": ${cell.tagName.toLowerCase()} at ${Math.round(r.left)}–${Math.round(r.right)} px`);
            break;
          }
        }
      });
    });
    return out;
  });
}

test("every section is one tap away from the menu, and the header leaves the first screen to the page", async ({ page }) => {
  await signInAsOnPhone(page);
  const menu = page.getByRole("button", { name: "Menu" });
  await expect(menu).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Billing" })).toBeHidden();
  const header = await page.locator("aside").boundingBox();
  expect(header!.height, "header height").toBeLessThan(844 * 0.15);

  for (const label of ["Top Up", "Buy Credit", "Invoices", "Subscription", "Credit line", "Settings", "Overview"]) {
    await menu.click();
    await expect(menu).toHaveAttribute("aria-expanded", "true");
    await page.getByRole("navigation", { name: "Billing" }).getByRole("link", { name: label, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    // Following a link closes the menu.
    await expect(page.getByRole("navigation", { name: "Billing" })).toBeHidden();
  }
});

test("every page's tables keep their amount and status on a 390 px screen", async ({ page }) => {
  test.setTimeout(120_000);
  await signInAsOnPhone(page);
  const slug = /^\/t\/([^/]+)/.exec(new URL(page.url()).pathname)![1];
  expect(
    await phoneProblems(
      page,
      TEAM_PAGES.map((p) => [p, `/t/${slug}/${p}`]),
    ),
  ).toEqual([]);
});

/** For each page (name, URL) that exists: whether it scrolls sideways, and which amount or status cells are off screen. */
async function phoneProblems(page: Page, pages: [string, string][]): Promise<string[]> {
  const problems: string[] = [];
  for (const [name, url] of pages) {
    const res = await page.goto(url);
    if (!res || res.status() === 404) continue;
    await page.waitForLoadState("networkidle");
    const scrolls = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
    if (scrolls) problems.push(`${name}: the page scrolls sideways`);
    for (const o of await offscreenCells(page)) problems.push(`${name}: ${o}`);
  }
  return problems;
}

/** Signs in as Olivia (e2e/helpers' signInAs waits for the navigation, which a phone folds away). */
async function signInAsOnPhone(page: Page) {
  await page.goto("/signin");
  await page.getByRole("button", { name: /Sign in as Olivia Okafor/ }).click();
  await page.waitForURL(/\/t\/[^/]+\//);
}

test("the admin console's pages fit a 390 px screen and keep their amounts and statuses on it", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto("/signin");
  await page.getByRole("button", { name: /Sign in as Pat Moreau/ }).click();
  await page.waitForURL(/\/(admin|t\/)/);
  expect(
    await phoneProblems(
      page,
      ADMIN_PAGES.map((p) => [p, p]),
    ),
  ).toEqual([]);
});
