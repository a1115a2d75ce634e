"use client";

import { useState } from "react";
import type { billingPortalRoute as billingPortalRouteContract } from "@/app/api/teams/[team]/subscription/portal/contract";
import { callRoute, RouteError } from "@/components/data/route-hooks";
import { formatDay } from "@/components/format";
import { endpoint } from "@/lib/edge/endpoint";

const billingPortalRoute = endpoint<typeof billingPortalRouteContract>("POST /api/teams/:team/subscription/portal");

/**
 * On every team page while a renewal is unpaid: what failed, until when the API keeps working (past_due) or that it has
 * stopped (unpaid), and the way to fix it (the Stripe customer portal) for those who may; others are told who can.
 */
export function PastDueBanner({
  teamSlug,
  status,
  graceEndsAt,
  canFix,
}: {
  teamSlug: string;
  status: "past_due" | "unpaid";
  graceEndsAt: Date | null;
  canFix: boolean;
}) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });

  async function openPortal() {
    setState({ busy: true, error: null });
    try {
      const { url } = await callRoute(billingPortalRoute, { params: { team: teamSlug } });
      window.location.assign(url);
    } catch (e) {
      setState({ busy: false, error: e instanceof RouteError ? e.record.message : "We could not open Stripe's billing page. Please try again." });
    }
  }

  return (
    <section
      aria-label="Payment failed"
      data-testid="past-due-banner"
      data-status={status}
      className="border-b border-red-300 bg-red-50 px-4 py-3 text-red-950 md:px-8 dark:border-red-800 dark:bg-red-950/60 dark:text-red-50"
    >
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <p className="flex-1">
          <span className="font-semibold">Your last payment failed.</span>{" "}
          {status === "unpaid"
            ? "Usage is paused until the invoice is paid."
            : `Update your payment method by ${graceEndsAt ? formatDay(graceEndsAt) : "the end of the grace period"} to keep using the API.`}
          {!canFix && " Ask an owner, an admin or a billing member of the team to update it."}
        </p>
        {canFix && (
          <button
            type="button"
            onClick={() => void openPortal()}
            disabled={state.busy}
            className="rounded-md bg-red-700 px-4 py-2 font-medium text-white hover:bg-red-600 disabled:opacity-60"
          >
            {state.busy ? "Opening Stripe…" : "Update payment method"}
          </button>
        )}
      </div>
      {state.error && (
        <p role="alert" className="mt-2 text-sm">
          {state.error}
        </p>
      )}
    </section>
  );
}
