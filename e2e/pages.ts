// Every page a signed-in person can reach, for the checks that go through all of them (e2e/a11y.spec.ts) and the
// JavaScript budget (bench/bundle.ts). Team pages are under /t/<team>/.
export const TEAM_PAGES = [
  "overview",
  "overview/history",
  "top-up",
  "buy-credit",
  "invoices",
  "subscription",
  "credit-line",
  "settings",
  "settings/api-keys",
  "settings/members",
  "settings/audit",
  "settings/budget",
  "webhooks",
] as const;

export const ADMIN_PAGES = [
  "/admin",
  "/admin/customers",
  "/admin/credit-lines",
  "/admin/credit-lines/sign-ins",
  "/admin/coupons",
  "/admin/stripe-events",
] as const;
