"use client";

import type { Stripe } from "@stripe/stripe-js";
import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { LazyEmbeddedCheckout } from "@/components/stripe/lazy-checkout";
import { type ReactNode, useEffect, useRef, useState } from "react";
import type { billingPortalRoute as billingPortalRouteContract } from "@/app/api/teams/[team]/subscription/portal/contract";
import type { subscriptionRoute as subscriptionRouteContract } from "@/app/api/teams/[team]/subscription/contract";
import { useRouteMutation, useRouteQuery } from "@/components/data/route-hooks";
import { CurrentPlan } from "./current-plan";
import { DrawPanel } from "@/components/billing/draw-panel";
import { day } from "./format";
import type { Subscribed, Target } from "./plan-change-dialog";
import { type Cycle, PlansGrid } from "./plans-grid";
import { loadStripeJs } from "@/components/stripe/stripe-js";
import type { SubscriptionView } from "./view";
import { endpoint } from "@/lib/edge/endpoint";

const billingPortalRoute = endpoint<typeof billingPortalRouteContract>("POST /api/teams/:team/subscription/portal");
const subscriptionRoute = endpoint<typeof subscriptionRouteContract>("GET /api/teams/:team/subscription");

// The dialogs open on a click: their code loads then, not with the page.
const PlanChangeDialog = dynamic(() => import("./plan-change-dialog").then((m) => m.PlanChangeDialog), { ssr: false });
const CancelDialog = dynamic(() => import("./cancel-dialog").then((m) => m.CancelDialog), { ssr: false });
/** After returning from Checkout: ask again this often, for this long, until Stripe reports the subscription active. */
const POLL_MS = 2000;
const CONFIRM_WINDOW_MS = 60_000;

type Props = {
  teamSlug: string;
  publishableKey: string | null;
  /** Back from Checkout (?checkout=<session id>). */
  checkoutId: string | null;
  /** That Checkout was left open or expired: nothing to wait for. */
  checkoutUnfinished: boolean;
  /** The sentence that replaces the controls for someone who may not change the plan. */
  readOnlyNote: string;
  /** The Enterprise request form (or its placeholder), rendered by the page. */
  enterprise: ReactNode;
};

type Notice = { kind: "success" | "error"; text: string } | null;
type Embedded = { clientSecret: string; stripe: Stripe } | null;

const live = (v: SubscriptionView | undefined) => v?.status === "active" || v?.status === "trial";
/** Stripe says active, and the first invoice's plan credits (paid in the same moment, another webhook) have landed. */
const settled = (v: SubscriptionView | undefined) => live(v) && (v!.plan.monthlyCredits === null || v!.planCredits.granted > 0n);

export function SubscriptionClient({ teamSlug, publishableKey, checkoutId: returnedFrom, checkoutUnfinished, readOnlyNote, enterprise }: Props) {
  const router = useRouter();
  const params = { team: teamSlug };
  const checkoutId = checkoutUnfinished ? null : returnedFrom;
  const [gaveUp, setGaveUp] = useState(false);
  useEffect(() => {
    if (!checkoutId) return;
    const t = setTimeout(() => setGaveUp(true), CONFIRM_WINDOW_MS);
    return () => clearTimeout(t);
  }, [checkoutId]);
  const query = useRouteQuery(
    subscriptionRoute,
    { params },
    {
      refetchInterval: (d) => (checkoutId && !settled(d) && !gaveUp ? POLL_MS : false),
    },
  );
  const view = query.data;
  const canManage = view?.canManage ?? false;

  const [cycle, setCycle] = useState<Cycle>(view?.billingCycle ?? "monthly");
  const [target, setTarget] = useState<Target | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const [embedded, setEmbedded] = useState<Embedded>(null);
  const stripeLoad = useRef<Promise<Stripe | null> | null>(null);
  const portal = useRouteMutation(billingPortalRoute, { params, refresh: false });

  /** Stripe.js starts loading when the person reaches for a plan (pointer or focus), not with the page. */
  const warmStripe = () => {
    if (publishableKey && canManage) stripeLoad.current ??= loadStripeJs(publishableKey);
  };

  if (!view) {
    return query.isError ? (
      <p role="alert" className="mt-6 rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
        {query.error.record.message}
      </p>
    ) : (
      <p className="mt-6 h-72 animate-pulse rounded-lg bg-slate-100 dark:bg-slate-800" aria-label="Loading your plan" />
    );
  }

  function openPortal() {
    setNotice(null);
    portal.mutate({}, { onSuccess: ({ url }) => window.location.assign(url), onError: (e) => setNotice({ kind: "error", text: e.record.message }) });
  }

  function subscribed(answer: Subscribed, t: Target) {
    setTarget(null);
    if (answer.outcome === "checkout" && answer.checkout) {
      const { clientSecret, url } = answer.checkout;
      void (stripeLoad.current ?? Promise.resolve(null)).then((stripe) => {
        if (clientSecret && stripe) setEmbedded({ clientSecret, stripe });
        else if (url) window.location.assign(url);
        else setNotice({ kind: "error", text: "The checkout could not be opened. Nothing was charged; please try again." });
      });
      return;
    }
    setNotice(
      answer.outcome === "unchanged"
        ? { kind: "success", text: `Nothing changed: the team is already on ${t.planName}.` }
        : { kind: "success", text: `Done: the team is on ${t.planName}, billed ${t.cycle === "annual" ? "annually" : "monthly"}.` },
    );
    router.refresh();
  }

  const waiting = checkoutId !== null && !live(view);
  const busy = portal.isPending || portal.isSuccess ? "portal" : null;

  return (
    <div>
      {checkoutId && (
        <p
          role="status"
          data-testid="checkout-result"
          className={`mt-4 rounded-md p-3 ${waiting ? "bg-amber-50 text-amber-950 dark:bg-amber-950/40 dark:text-amber-100" : "bg-emerald-50 text-emerald-950 dark:bg-emerald-950/40 dark:text-emerald-100"}`}
        >
          {!waiting
            ? `Subscription started: the team is on ${view.plan.name}.`
            : !gaveUp || query.isFetching
              ? "Waiting for Stripe to confirm the subscription…"
              : "Stripe has not confirmed the subscription yet. The plan changes as soon as it does; reload this page in a moment."}
        </p>
      )}
      {checkoutUnfinished && (
        <p role="status" data-testid="checkout-result" className="mt-4 rounded-md bg-slate-100 p-3 dark:bg-slate-800">
          Checkout was not completed, so nothing was charged and the plan is unchanged. Choose a plan to try again.
        </p>
      )}
      {notice && (
        <p
          role={notice.kind === "error" ? "alert" : "status"}
          data-testid="subscription-notice"
          className={`mt-4 rounded-md p-3 ${notice.kind === "error" ? "bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-100" : "bg-emerald-50 text-emerald-950 dark:bg-emerald-950/40 dark:text-emerald-100"}`}
        >
          {notice.text}
        </p>
      )}
      {query.isError && (
        <p role="alert" className="mt-4 rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
          {query.error.record.message}
        </p>
      )}

      <CurrentPlan
        view={view}
        actions={{
          busy,
          onManageBilling: openPortal,
          onCancel: () => setCancelling(true),
          onReactivate: () => {
            warmStripe();
            setTarget({ planId: view.plan.id, planName: view.plan.name, cycle: view.billingCycle ?? "monthly" });
          },
        }}
      />
      {view.draw && <DrawPanel draw={view.draw} />}
      {!canManage && (
        <p
          role="note"
          data-testid="read-only-note"
          className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-100"
        >
          {readOnlyNote}
        </p>
      )}

      {embedded ? (
        <section aria-labelledby="checkout-title" className="mt-10 space-y-4">
          <div className="flex items-center justify-between">
            <h2 id="checkout-title" className="text-lg font-semibold">
              Subscribe with Stripe
            </h2>
            <button type="button" onClick={() => setEmbedded(null)} className="text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
              ← Back to plans
            </button>
          </div>
          <LazyEmbeddedCheckout stripe={embedded.stripe} clientSecret={embedded.clientSecret} />
        </section>
      ) : (
        <div onPointerEnter={warmStripe} onFocus={warmStripe}>
          <PlansGrid
            view={view}
            cycle={cycle}
            onCycle={setCycle}
            onChoose={(plan, c) => {
              warmStripe();
              setNotice(null);
              setTarget({ planId: plan.id, planName: plan.name, cycle: c });
            }}
            onMoveToFree={() => setCancelling(true)}
            disabled={busy !== null || waiting}
          />
        </div>
      )}

      {enterprise}

      {target && (
        <PlanChangeDialog
          key={`${target.planId}-${target.cycle}`}
          teamSlug={teamSlug}
          view={view}
          target={target}
          embeddable={async () => (stripeLoad.current ? (await stripeLoad.current) !== null : false)}
          onClose={() => setTarget(null)}
          onSubscribed={(answer) => subscribed(answer, target)}
        />
      )}
      {cancelling && (
        <CancelDialog
          teamSlug={teamSlug}
          view={view}
          onClose={() => setCancelling(false)}
          onCancelled={(periodEnd) => {
            setCancelling(false);
            setNotice({
              kind: "success",
              text: `Cancelled. The team keeps ${view.plan.name} until ${periodEnd ? day(periodEnd) : "the period ends"}, then moves to Free.`,
            });
          }}
        />
      )}
    </div>
  );
}
