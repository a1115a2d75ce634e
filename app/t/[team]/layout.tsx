import Link from "next/link";
import { MenuPanel } from "@/components/menu-panel";
import { NavLinks } from "@/components/nav-links";
import { TeamSwitcher } from "@/components/team-switcher";
import { signOutAction } from "@/app/signin/actions";
import { LazyPastDueBanner } from "@/components/subscription/lazy-past-due-banner";
import { getUserTeams } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { readSubscriptionState } from "@/lib/billing/subscriptions/read-subscription-state";
import { teamPage } from "@/lib/edge/page";

export const dynamic = "force-dynamic";

const sections = [
  ["overview", "Overview"],
  ["top-up", "Top Up"],
  ["buy-credit", "Buy Credit"],
  ["invoices", "Invoices"],
  ["subscription", "Subscription"],
  ["credit-line", "Credit line"],
  ["settings", "Settings"],
] as const;

export default async function TeamLayout({ children, params }: { children: React.ReactNode; params: Promise<{ team: string }> }) {
  const { team: slug } = await params;
  const { user, team, actor, db } = await teamPage(slug);
  // The copy of Stripe's state only (no Stripe call): the banner must not slow every page.
  const [teams, subscription] = await Promise.all([getUserTeams(user.id), readSubscriptionState({ db, teamId: team.id })]);
  const paymentTrouble = subscription.status === "past_due" || subscription.status === "unpaid" ? subscription.status : null;
  const items: { href: string; label: string }[] = sections.map(([path, label]) => ({ href: `/t/${team.slug}/${path}`, label }));
  if (user.isPlatformAdmin) items.push({ href: "/admin", label: "Admin" });

  return (
    <div className="md:flex md:min-h-screen">
      <aside className="border-b border-slate-200 bg-white px-4 py-3 md:w-60 md:p-4 md:shrink-0 md:border-b-0 md:border-r dark:border-slate-800 dark:bg-slate-900">
        <MenuPanel
          brand={
            <Link href="/" className="text-lg font-semibold tracking-tight">
              Creditdesk
            </Link>
          }
        >
          <div className="mt-4">
            <TeamSwitcher current={team.slug} teams={teams.map((t) => ({ slug: t.slug, name: t.name, role: t.role, personal: t.personal }))} />
          </div>
          <nav aria-label="Billing" className="mt-4">
            <NavLinks items={items} />
          </nav>
          <div className="mt-6 border-t border-slate-200 pt-4 text-sm dark:border-slate-800">
            <p className="truncate text-slate-600 dark:text-slate-400" title={user.email ?? undefined}>
              Signed in as <span className="font-medium text-slate-900 dark:text-slate-100">{user.name ?? user.email}</span>
            </p>
            <form action={signOutAction}>
              <button className="mt-2 text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300">Sign out</button>
            </form>
          </div>
        </MenuPanel>
      </aside>
      <div className="min-w-0 flex-1">
        {paymentTrouble && (
          <LazyPastDueBanner teamSlug={team.slug} status={paymentTrouble} graceEndsAt={subscription.graceEndsAt} canFix={can(actor, "billing:write")} />
        )}
        <main id="main" className="p-4 md:p-8">
          {children}
        </main>
      </div>
    </div>
  );
}
