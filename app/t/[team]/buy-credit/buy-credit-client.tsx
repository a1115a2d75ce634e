"use client";

import Link from "next/link";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { centsToDollarText, formatCents, formatCredits } from "@/components/format";
import { parseDollarInput } from "@/components/money-input";
import { useRouteMutation } from "@/components/data/route-hooks";
import type { cardSetupRoute as cardSetupRouteContract } from "@/app/api/teams/[team]/payment-method/setup/contract";
import type { purchaseRoute as purchaseRouteContract } from "@/app/api/teams/[team]/purchases/contract";
import type { startTopUpRoute as startTopUpRouteContract } from "@/app/api/teams/[team]/top-ups/contract";
import { endpoint } from "@/lib/edge/endpoint";

const cardSetupRoute = endpoint<typeof cardSetupRouteContract>("POST /api/teams/:team/payment-method/setup");
const purchaseRoute = endpoint<typeof purchaseRouteContract>("POST /api/teams/:team/purchases");
const startTopUpRoute = endpoint<typeof startTopUpRouteContract>("POST /api/teams/:team/top-ups");

type Bundle = { id: string; amountCents: bigint; credits: bigint };
type Props = {
  teamSlug: string;
  canPay: boolean;
  card: { label: string; expires: string } | null;
  bundles: Bundle[];
  minCents: bigint;
  maxCents: bigint;
  creditsPerDollar: bigint;
};
type Result =
  | { kind: "credited"; credits: bigint; amountCents: bigint; balance: bigint; card: string }
  | { kind: "failed"; message: string }
  | { kind: "no_card"; message: string }
  | { kind: "error"; message: string };

export function BuyCreditClient({ teamSlug, canPay, card, bundles, minCents: min, maxCents: max, creditsPerDollar: rate }: Props) {
  const ids = { custom: useId(), customHelp: useId(), summary: useId(), dialogTitle: useId() };
  const [choice, setChoice] = useState<string>(bundles[1]?.id ?? bundles[0]?.id ?? "custom");
  const [custom, setCustom] = useState("");
  const [customTouched, setCustomTouched] = useState(false);
  // Set once the browser is on its way to Stripe or the bank, so the buttons stay busy until the page goes.
  const [leaving, setLeaving] = useState<"redirecting" | "card" | "checkout" | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const attemptKey = useRef<string | null>(null);
  const params = { team: teamSlug };

  const bundle = bundles.find((b) => b.id === choice) ?? null;
  const parsed = useMemo(
    () => (choice === "custom" ? parseDollarInput(custom, { min, max, noun: "purchase", example: "250" }) : null),
    [choice, custom, min, max],
  );
  const amountCents = bundle ? bundle.amountCents : parsed && "cents" in parsed ? parsed.cents : null;
  const credits = bundle ? bundle.credits : amountCents !== null ? (amountCents * rate) / 100n : null;
  const customError = choice === "custom" && customTouched && parsed && "error" in parsed ? parsed.error : null;

  // Another choice is another purchase; a retried confirm of the same choice reuses its key (never charged twice).
  useEffect(() => {
    attemptKey.current = null;
  }, [choice, custom]);

  const fail = (e: Error) => setResult({ kind: "error", message: e.message });
  const cardSetup = useRouteMutation(
    cardSetupRoute,
    { params, refresh: false },
    {
      onSuccess: (r) => {
        setLeaving("card");
        window.location.assign(r.url);
      },
      onError: fail,
    },
  );
  const checkout = useRouteMutation(
    startTopUpRoute,
    { params, refresh: false },
    {
      onSuccess: (r) => {
        if (!r.checkout.url) return setResult({ kind: "error", message: "The checkout could not be opened. Nothing was charged." });
        setLeaving("checkout");
        window.location.assign(r.checkout.url);
      },
      onError: fail,
    },
  );
  // On success the team's figures are refetched and the page (its balance) refreshed by the hook.
  const purchase = useRouteMutation(
    purchaseRoute,
    { params },
    {
      onSuccess: (p) => {
        if (p.outcome === "requires_action" && p.redirectUrl) {
          setLeaving("redirecting");
          window.location.assign(p.redirectUrl);
          return;
        }
        attemptKey.current = null;
        if (p.payment.status === "succeeded") {
          setResult({ kind: "credited", credits: p.payment.totalCredits, amountCents: p.payment.amountCents, balance: p.balance, card: p.card.label });
        } else if (p.payment.status === "pending") {
          setResult({
            kind: "failed",
            message: "The payment is still being confirmed by the bank. Credits are added as soon as it completes; Overview updates by itself.",
          });
        } else {
          setResult({ kind: "failed", message: `${p.payment.failureMessage ?? "The card was not charged."} No credits were added.` });
        }
      },
      onError: (e) => setResult(e.record.code === "NO_PAYMENT_METHOD" ? { kind: "no_card", message: e.message } : { kind: "error", message: e.message }),
    },
  );
  const busy = leaving ?? (purchase.isPending ? "charging" : cardSetup.isPending ? "card" : checkout.isPending ? "checkout" : "idle");

  function addCard() {
    cardSetup.mutate({});
  }

  function checkoutInstead() {
    if (amountCents === null) return;
    checkout.mutate({ amount: centsToDollarText(amountCents), method: "card", ui: "hosted", idempotencyKey: crypto.randomUUID() });
  }

  function proceed() {
    setResult(null);
    if (amountCents === null) {
      setCustomTouched(true);
      setResult({ kind: "error", message: parsed && "error" in parsed ? parsed.error : "Choose a bundle or enter an amount." });
      return;
    }
    attemptKey.current ??= crypto.randomUUID();
    // Without a saved card there is nothing to confirm: the server answers NO_PAYMENT_METHOD and we offer the ways out.
    if (!card) charge();
    else dialog.current?.showModal();
  }

  function charge() {
    dialog.current?.close();
    if (amountCents === null || !attemptKey.current) return;
    const key = attemptKey.current;
    purchase.mutate(bundle ? { bundle: bundle.id, idempotencyKey: key } : { amount: centsToDollarText(amountCents), idempotencyKey: key });
  }

  const working = busy !== "idle";
  return (
    <div className="mt-6 space-y-8">
      <section aria-labelledby="card-title" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
        <h2 id="card-title" className="text-sm font-medium text-slate-600 dark:text-slate-400">
          Payment method
        </h2>
        {card ? (
          <p className="mt-1 flex flex-wrap items-center gap-3">
            <span data-testid="saved-card" className="font-medium">
              {card.label}
            </span>
            <span className="text-sm text-slate-600 dark:text-slate-400">expires {card.expires}</span>
            {canPay && (
              <button
                type="button"
                onClick={addCard}
                disabled={working}
                className="text-sm font-medium text-indigo-700 hover:underline disabled:opacity-60 dark:text-indigo-300"
              >
                Replace card
              </button>
            )}
          </p>
        ) : (
          <p className="mt-1 flex flex-wrap items-center gap-3">
            <span data-testid="saved-card">No saved card.</span>
            {canPay && (
              <button
                type="button"
                onClick={addCard}
                disabled={working}
                className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800"
              >
                {busy === "card" ? "Opening Stripe…" : "Add a card"}
              </button>
            )}
          </p>
        )}
      </section>

      <form
        onSubmit={(e) => {
          e.preventDefault();
          proceed();
        }}
        noValidate
        className="space-y-6"
      >
        <fieldset disabled={!canPay || working} className="space-y-6 disabled:opacity-100">
          <fieldset>
            <legend className="text-lg font-semibold">Quick Select</legend>
            <div className="mt-3 grid gap-3 sm:grid-cols-2">
              {bundles.map((b) => (
                <label
                  key={b.id}
                  className="cursor-pointer rounded-lg border border-slate-300 bg-white p-4 has-[:checked]:border-indigo-600 has-[:checked]:bg-indigo-50 has-[:checked]:ring-2 has-[:checked]:ring-indigo-600 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-indigo-400 dark:border-slate-700 dark:bg-slate-900 dark:has-[:checked]:bg-indigo-950"
                >
                  <input type="radio" name="bundle" value={b.id} checked={choice === b.id} onChange={() => setChoice(b.id)} className="sr-only" />
                  <span className="block text-2xl font-semibold tabular-nums">{formatCents(b.amountCents).replace(/\.00$/, "")}</span>
                  <span className="block text-slate-600 dark:text-slate-400">{formatCredits(b.credits)} credits</span>
                  <BundleBonus amountCents={b.amountCents} credits={b.credits} rate={rate} />
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset>
            <legend className="text-lg font-semibold">Custom Amount</legend>
            <label className="mt-3 flex cursor-pointer items-center gap-2 text-sm">
              <input type="radio" name="bundle" value="custom" checked={choice === "custom"} onChange={() => setChoice("custom")} />
              Enter an amount
            </label>
            <label htmlFor={ids.custom} className="mt-2 block text-sm font-medium">
              Amount (USD)
            </label>
            <div className="mt-1 flex max-w-xs items-center rounded-md border border-slate-300 bg-white px-3 focus-within:ring-2 focus-within:ring-indigo-500 dark:border-slate-700 dark:bg-slate-900">
              <span aria-hidden="true" className="text-slate-500 dark:text-slate-400">
                $
              </span>
              <input
                id={ids.custom}
                inputMode="decimal"
                autoComplete="off"
                value={custom}
                onFocus={() => setChoice("custom")}
                onChange={(e) => {
                  setChoice("custom");
                  setCustom(e.target.value);
                }}
                onBlur={() => setCustomTouched(true)}
                aria-invalid={customError !== null}
                aria-describedby={ids.customHelp}
                placeholder="250.00"
                className="w-full bg-transparent px-1 py-2 outline-none"
              />
            </div>
            <p id={ids.customHelp} className={`mt-1 text-sm ${customError ? "text-red-700 dark:text-red-400" : "text-slate-600 dark:text-slate-400"}`}>
              {customError ?? `From ${formatCents(min)} to ${formatCents(max)}, at ${formatCredits(rate)} credits per dollar.`}
            </p>
          </fieldset>

          <div id={ids.summary} aria-live="polite" className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
            <p className="text-sm text-slate-600 dark:text-slate-400">You pay</p>
            <p data-testid="pay-amount" className="text-2xl font-semibold tabular-nums">
              {amountCents === null ? "—" : formatCents(amountCents)}
            </p>
            <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">You get</p>
            <p data-testid="credits-summary" className="text-lg font-semibold tabular-nums">
              {credits === null ? "—" : `${formatCredits(credits)} credits`}
            </p>
          </div>

          <button
            type="submit"
            aria-describedby={ids.summary}
            className="rounded-md bg-indigo-600 px-6 py-2.5 font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
          >
            {busy === "charging" ? "Charging…" : busy === "redirecting" ? "Taking you to your bank…" : "Proceed to Payment"}
          </button>
        </fieldset>
      </form>

      <div aria-live="polite" data-testid="purchase-result">
        {result?.kind === "credited" && (
          <div
            role="status"
            className="rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950/40 dark:text-emerald-100"
          >
            <p className="font-semibold">Payment received</p>
            <p className="mt-1">
              {formatCredits(result.credits)} credits were added for {formatCents(result.amountCents)} charged to {result.card}. Balance:{" "}
              {formatCredits(result.balance)} credits.
            </p>
            <p className="mt-2">
              <Link href={`/t/${teamSlug}/overview?paid=1`} className="font-medium underline underline-offset-2">
                See it on Overview
              </Link>
            </p>
          </div>
        )}
        {(result?.kind === "failed" || result?.kind === "error") && (
          <p role="alert" className="rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
            {result.message}
          </p>
        )}
        {result?.kind === "no_card" && (
          <div
            role="alert"
            className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-950 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-100"
          >
            <p className="font-semibold">No saved card</p>
            <p className="mt-1">{result.message}</p>
            <p className="mt-3 flex flex-wrap gap-3">
              <button
                type="button"
                onClick={addCard}
                disabled={working}
                className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
              >
                Add a card
              </button>
              {amountCents !== null && (
                <button
                  type="button"
                  onClick={checkoutInstead}
                  disabled={working}
                  className="rounded-md border border-amber-400 px-4 py-2 font-medium hover:bg-amber-100 disabled:opacity-60 dark:hover:bg-amber-900"
                >
                  {busy === "checkout" ? "Opening Checkout…" : `Pay ${formatCents(amountCents)} with Checkout instead`}
                </button>
              )}
            </p>
          </div>
        )}
      </div>

      <dialog
        ref={dialog}
        aria-labelledby={ids.dialogTitle}
        className="m-auto max-w-md rounded-lg border border-slate-200 bg-white p-6 text-slate-900 shadow-xl backdrop:bg-slate-900/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
      >
        <h2 id={ids.dialogTitle} className="text-lg font-semibold">
          Charge {amountCents === null ? "" : formatCents(amountCents)} to {card?.label}?
        </h2>
        <p className="mt-2 text-slate-600 dark:text-slate-400">
          {credits === null ? "" : `${formatCredits(credits)} credits are added as soon as the payment succeeds.`}
        </p>
        <div className="mt-6 flex justify-end gap-3">
          <button
            type="button"
            onClick={() => dialog.current?.close()}
            className="rounded-md border border-slate-300 px-4 py-2 font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
          >
            Cancel
          </button>
          <button type="button" autoFocus onClick={charge} className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500">
            Confirm and pay
          </button>
        </div>
      </dialog>
    </div>
  );
}

/** A bundle that buys more than the standard rate says so, with what the extra credits are worth at that rate. */
function BundleBonus({ amountCents, credits, rate }: { amountCents: bigint; credits: bigint; rate: bigint }) {
  const bonus = credits - (amountCents * rate) / 100n;
  if (bonus <= 0n) return null;
  return (
    <span data-testid="bundle-bonus" className="mt-1 block text-sm font-medium text-emerald-800 dark:text-emerald-300">
      includes {formatCredits(bonus)} bonus credits, worth {formatCents((bonus * 100n) / rate)}
    </span>
  );
}
