import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { type Persona, signInAs } from "./helpers";
import { ADMIN_PAGES, TEAM_PAGES } from "./pages";

// Every page, as the people who use it, in both colour schemes: axe-core finds no violation (WCAG 2.1 AA rules and
// axe's best practices). A page a person cannot open (404, or one that does not exist yet) is left out and named.

type Found = { path: string; scheme: string; id: string; impact: string | null | undefined; targets: string[] };

async function pagesOf(page: Page, who: Persona): Promise<string[]> {
  await signInAs(page, who);
  if (who === "Pat Moreau") return [...ADMIN_PAGES];
  const slug = /^\/t\/([^/]+)/.exec(new URL(page.url()).pathname)?.[1];
  expect(slug, "signed in on a team page").toBeTruthy();
  return TEAM_PAGES.map((p) => `/t/${slug}/${p}`);
}

async function violationsOn(page: Page, path: string, scheme: "light" | "dark"): Promise<Found[] | null> {
  const res = await page.goto(path);
  if (!res || res.status() === 404) return null;
  await page.waitForLoadState("networkidle");
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  return result.violations.map((v) => ({ path, scheme, id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
}

for (const scheme of ["light", "dark"] as const) {
  for (const who of ["Olivia Okafor", "Pat Moreau"] as const) {
    test(`${who}'s pages have no accessibility violations (${scheme})`, async ({ page }) => {
      test.setTimeout(180_000);
      await page.emulateMedia({ colorScheme: scheme });
      const paths = await pagesOf(page, who);
      const found: Found[] = [];
      const checked: string[] = [];
      for (const path of paths) {
        const v = await violationsOn(page, path, scheme);
        if (v === null) continue;
        checked.push(path);
        found.push(...v);
      }
      expect(checked.length, "pages checked").toBeGreaterThan(3);
      expect(found).toEqual([]);
    });
  }
  test(`the sign-in page has no accessibility violations (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await violationsOn(page, "/signin", scheme)).toEqual([]);
  });
}
