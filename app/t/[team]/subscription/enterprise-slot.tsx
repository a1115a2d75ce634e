import { LazyEnterpriseRequest } from "@/components/subscription/lazy-enterprise-request";

/** Where the Enterprise plan's "Contact us" leads: the request form, or the team's open request or its answer. */
export function EnterpriseSlot({ teamSlug, canRequest }: { teamSlug: string; canRequest: boolean }) {
  return (
    <section id="enterprise-request" aria-labelledby="enterprise-request-title" className="mt-10 scroll-mt-8">
      <h2 id="enterprise-request-title" className="text-lg font-semibold">
        Enterprise
      </h2>
      <p className="mt-1 mb-4 text-slate-600 dark:text-slate-400">A custom price, monthly credits and SLA, agreed with us and billed through Stripe.</p>
      <LazyEnterpriseRequest team={teamSlug} canRequest={canRequest} />
    </section>
  );
}
