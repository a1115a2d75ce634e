// ENTERPRISE REQUEST SLOT (lead: wire it). The request form is components/subscription/enterprise-request.tsx, built on
// another branch; when it lands, render it here in place of the paragraph, keeping id="enterprise-request" (the
// Enterprise card's "Contact us" links to it).

/** Where the Enterprise plan's "Contact us" leads. */
export function EnterpriseSlot({ canRequest }: { teamSlug: string; canRequest: boolean }) {
  return (
    <section id="enterprise-request" aria-labelledby="enterprise-request-title" className="mt-10 scroll-mt-8">
      <h2 id="enterprise-request-title" className="text-lg font-semibold">
        Enterprise
      </h2>
      <p className="mt-1 text-slate-600 dark:text-slate-400">
        A custom price, monthly credits and SLA, agreed with us and billed through Stripe.{" "}
        {canRequest ? "Tell us what your team needs and we will put it on a custom plan." : "An owner, an admin or a billing member can ask for one."}
      </p>
    </section>
  );
}
