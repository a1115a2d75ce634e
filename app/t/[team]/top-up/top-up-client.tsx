"use client";

import type { Stripe } from "@stripe/stripe-js";
import { useRouter } from "next/navigation";
import { LazyEmbeddedCheckout } from "@/components/stripe/lazy-checkout";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useRouteMutation } from "@/components/data/route-hooks";
import { loadStripeJs } from "@/components/stripe/stripe-js";
import { centsToDollarText, formatCents, formatCredits } from "@/components/format";
import { parseDollarInput } from "@/components/money-input";
import type { OutputOf } from "@/lib/edge/contract";
import type { MethodOption } from "@/lib/billing/topups/payment-methods";
import type { cancelTopUpRoute as cancelTopUpRouteContract } from "@/app/api/teams/[team]/top-ups/[id]/cancel/contract";
import type { startTopUpRoute as startTopUpRouteContract } from "@/app/api/teams/[team]/top-ups/contract";
import type { quoteTopUpRoute as quoteTopUpRouteContract } from "@/app/api/teams/[team]/top-ups/quote/contract";
import type { redeemCouponRoute as redeemCouponRouteContract } from "@/app/api/teams/[team]/coupons/redeem/contract";
import { endpoint } from "@/lib/edge/endpoint";

const cancelTopUpRoute = endpoint<typeof cancelTopUpRouteContract>("POST /api/teams/:team/top-ups/:id/cancel");
const startTopUpRoute = endpoint<typeof startTopUpRouteContract>("POST /api/teams/:team/top-ups");
const quoteTopUpRoute = endpoint<typeof quoteTopUpRouteContract>("POST /api/teams/:team/top-ups/quote");
const redeemCouponRoute = endpoint<typeof redeemCouponRouteContract>("POST /api/teams/:team/coupons/redeem");

type Props = {
  teamSlug: string;
  canPay: boolean;
  publishableKey: string | null;
  methods: MethodOption[];
  presetsCents: bigint[];
  minCents: bigint;
  maxCents: bigint;
  creditsPerDollar: bigint;
};

type AppliedCoupon = NonNullable<OutputOf<typeof quoteTopUpRouteContract>["quote"]["coupon"]>;
type StripeState = { status: "idle" } | { status: "loading" } | { status: "ready"; stripe: Stripe } | { status: "unavailable" };
type CheckoutState =
  { kind: "form" } | { kind: "starting" } | { kind: "embedded"; clientSecret: string; paymentId: string; stripe: Stripe } | { kind: "redirecting" };

export function TopUpClient({ teamSlug, canPay, publishableKey, methods, presetsCents, minCents: min, maxCents: max, creditsPerDollar: rate }: Props) {
  const router = useRouter();
  const ids = { amount: useId(), amountError: useId(), coupon: useId(), couponStatus: useId(), summary: useId() };
  const presets = presetsCents.map(String);
  const firstAvailable = methods.find((m) => m.available)?.method ?? "";

  const [method, setMethod] = useState(firstAvailable);
  const [preset, setPreset] = useState<string>(presets.includes("2500") ? "2500" : (presets[0] ?? "custom"));
  const [custom, setCustom] = useState("");
  const [customTouched, setCustomTouched] = useState(false);
  const [couponText, setCouponText] = useState("");
  const [coupon, setCoupon] = useState<AppliedCoupon | null>(null);
  const [couponMessage, setCouponMessage] = useState<{ kind: "error" | "success"; text: string } | null>(null);
  const [payError, setPayError] = useState<string | null>(null);
  const [checkout, setCheckout] = useState<CheckoutState>({ kind: "form" });
  const [stripeState, setStripeState] = useState<StripeState>({ status: publishableKey && canPay ? "idle" : "unavailable" });
  const stripeLoad = useRef<Promise<Stripe | null> | null>(null);
  const idempotencyKey = useRef<string | null>(null);

  const team = { team: teamSlug };
  // A quote changes nothing and the top-up is followed by Checkout: neither refreshes the page.
  const quote = useRouteMutation(quoteTopUpRoute, { params: team, refresh: false });
  const redeem = useRouteMutation(redeemCouponRoute, { params: team });
  const start = useRouteMutation(startTopUpRoute, { params: team, refresh: false });
  const cancel = useRouteMutation(cancelTopUpRoute, { params: { ...team, id: checkout.kind === "embedded" ? checkout.paymentId : "" } });
  const couponBusy = quote.isPending || redeem.isPending;

  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  /** Stripe.js starts loading when the person reaches for the form (pointer or focus), not with the page. */
  const warmStripe = (): Promise<Stripe | null> | null => {
    if (!publishableKey || !canPay) return null;
    if (!stripeLoad.current) {
      setStripeState({ status: "loading" });
      stripeLoad.current = loadStripeJs(publishableKey);
      void stripeLoad.current.then((stripe) => {
        if (mounted.current) setStripeState(stripe ? { status: "ready", stripe } : { status: "unavailable" });
      });
    }
    return stripeLoad.current;
  };

  const amountText = preset === "custom" ? custom : centsToDollarText(BigInt(preset));
  const parsed = useMemo(() => parseDollarInput(amountText, { min, max, noun: "top-up", example: "25" }), [amountText, min, max]);
  const amountCents = "cents" in parsed ? parsed.cents : null;
  const showAmountError = preset === "custom" && customTouched && "error" in parsed;

  const credits = amountCents === null ? 0n : (amountCents * rate) / 100n;
  const couponBelowMin = coupon !== null && amountCents !== null && amountCents < coupon.minAmountCents;
  const bonus = coupon && !couponBelowMin ? (credits * BigInt(coupon.bonusPercent)) / 100n : 0n;
  const grant = coupon && !couponBelowMin ? coupon.grantCredits : 0n;
  const total = credits + bonus + grant;

  // A different choice is a different payment: a retried click of the same choice reuses its key.
  useEffect(() => {
    idempotencyKey.current = null;
  }, [amountText, method, coupon]);

  function applyCoupon() {
    const code = couponText.trim();
    if (!code) {
      setCouponMessage({ kind: "error", text: "Enter a code first." });
      return;
    }
    setCouponMessage(null);
    quote.mutate(
      { coupon: code, amount: amountCents === null ? null : centsToDollarText(amountCents) },
      {
        onSuccess: ({ quote: q }) => {
          setCoupon(q.coupon);
          setCouponMessage(q.coupon && { kind: "success", text: `${q.coupon.code} applied: ${q.coupon.effect}.` });
        },
        onError: (e) => {
          setCoupon(null);
          setCouponMessage({ kind: "error", text: e.record.message });
        },
      },
    );
  }

  function redeemNow() {
    if (!coupon) return;
    redeem.mutate(
      { code: coupon.code },
      {
        onSuccess: (r) => {
          setCoupon(null);
          setCouponText("");
          const text = `Added ${formatCredits(r.redemption.credits)} credits. Your balance is now ${formatCredits(r.balance)} credits.`;
          setCouponMessage({ kind: "success", text });
        },
        onError: (e) => setCouponMessage({ kind: "error", text: e.record.message }),
      },
    );
  }

  async function pay() {
    setPayError(null);
    if (amountCents === null) {
      setCustomTouched(true);
      setPayError("error" in parsed ? parsed.error : "Choose an amount.");
      return;
    }
    if (!method) {
      setPayError("Choose a payment method.");
      return;
    }
    setCheckout({ kind: "starting" });
    // Embedded needs Stripe.js; if it has not loaded by now (offline, blocked), use the hosted page.
    const stripe = stripeState.status === "ready" ? stripeState.stripe : await (warmStripe() ?? Promise.resolve(null));
    idempotencyKey.current ??= crypto.randomUUID();
    start.mutate(
      {
        amount: centsToDollarText(amountCents),
        method,
        coupon: coupon?.code ?? null,
        ui: stripe ? "embedded" : "hosted",
        idempotencyKey: idempotencyKey.current,
      },
      {
        onError: ({ record }) => {
          setCheckout({ kind: "form" });
          if (record.field === "coupon") {
            setCoupon(null);
            setCouponMessage({ kind: "error", text: record.message });
          }
          setPayError(record.message);
        },
        onSuccess: ({ checkout: c, payment }) => {
          idempotencyKey.current = null;
          if (c.ui === "embedded" && c.clientSecret && stripe) {
            setCheckout({ kind: "embedded", clientSecret: c.clientSecret, paymentId: payment.id, stripe });
          } else if (c.url) {
            setCheckout({ kind: "redirecting" });
            window.location.assign(c.url);
          } else {
            setCheckout({ kind: "form" });
            setPayError("The checkout could not be opened. Nothing was charged; please try again.");
          }
        },
      },
    );
  }

  function changeAmount() {
    if (checkout.kind !== "embedded") return;
    // Called before the form comes back, while the mutation still names this checkout's payment.
    cancel.mutate({}, { onError: () => router.refresh() });
    setCheckout({ kind: "form" });
  }

  const summary = (
    <div id={ids.summary} className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900" aria-live="polite">
      <p className="text-sm text-slate-600 dark:text-slate-400">You pay</p>
      <p data-testid="pay-amount" className="text-2xl font-semibold tabular-nums">
        {amountCents === null ? "—" : formatCents(amountCents)}
      </p>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">You will get</p>
      <p data-testid="credits-summary" className="text-lg font-semibold tabular-nums">
        {amountCents === null ? "—" : `${formatCredits(total)} credits`}
      </p>
      {amountCents !== null && (bonus > 0n || grant > 0n) && (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {formatCredits(credits)} bought{bonus > 0n ? ` + ${formatCredits(bonus)} bonus` : ""}
          {grant > 0n ? ` + ${formatCredits(grant)} from the coupon` : ""}
        </p>
      )}
      {couponBelowMin && coupon && (
        <p className="mt-1 text-sm text-amber-800 dark:text-amber-300">
          {coupon.code} needs a top-up of at least {formatCents(coupon.minAmountCents)}.
        </p>
      )}
    </div>
  );

  if (checkout.kind === "embedded") {
    return (
      <div className="mt-6 space-y-4">
        {summary}
        <div className="flex items-center justify-between">
          <h2 className="text-lg font-semibold">Pay with Stripe</h2>
          <button type="button" onClick={changeAmount} className="text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
            ← Change amount or method
          </button>
        </div>
        <LazyEmbeddedCheckout stripe={checkout.stripe} clientSecret={checkout.clientSecret} />
      </div>
    );
  }

  const busy = checkout.kind !== "form";
  return (
    <form
      className="mt-6 space-y-6"
      onPointerEnter={() => void warmStripe()}
      onFocus={() => void warmStripe()}
      onSubmit={(e) => {
        e.preventDefault();
        void pay();
      }}
      noValidate
    >
      <fieldset disabled={!canPay || busy} className="space-y-6 disabled:opacity-100">
        <fieldset>
          <legend className="text-sm font-medium">Payment method</legend>
          <div className="mt-2 grid gap-2 sm:grid-cols-2">
            {methods.map((m) => (
              <label
                key={m.method}
                className={`flex items-start gap-3 rounded-lg border p-3 ${m.available ? "cursor-pointer border-slate-300 bg-white has-[:checked]:border-indigo-600 has-[:checked]:ring-1 has-[:checked]:ring-indigo-600 dark:border-slate-700 dark:bg-slate-900" : "border-dashed border-slate-300 bg-slate-50 text-slate-500 dark:text-slate-400 dark:border-slate-700 dark:bg-slate-900/50"}`}
              >
                <input
                  type="radio"
                  name="method"
                  value={m.method}
                  checked={method === m.method}
                  disabled={!m.available}
                  onChange={() => setMethod(m.method)}
                  className="mt-1"
                />
                <span>
                  <span className="block font-medium">{m.label}</span>
                  <span className="block text-xs">{m.available ? m.hint : `Unavailable: ${m.reason}`}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>

        <fieldset>
          <legend className="text-sm font-medium">Amount</legend>
          <div className="mt-2 flex flex-wrap gap-2">
            {presets.map((c) => (
              <label
                key={c}
                className="cursor-pointer rounded-md border border-slate-300 bg-white px-4 py-2 font-medium has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-indigo-500 tabular-nums has-[:checked]:border-indigo-600 has-[:checked]:bg-indigo-50 has-[:checked]:text-indigo-800 dark:border-slate-700 dark:bg-slate-900 dark:has-[:checked]:bg-indigo-950 dark:has-[:checked]:text-indigo-200"
              >
                <input type="radio" name="preset" value={c} checked={preset === c} onChange={() => setPreset(c)} className="sr-only" />
                {formatCents(BigInt(c)).replace(/\.00$/, "")}
              </label>
            ))}
            <label className="cursor-pointer rounded-md border border-slate-300 bg-white px-4 py-2 font-medium has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-indigo-500 has-[:checked]:border-indigo-600 has-[:checked]:bg-indigo-50 has-[:checked]:text-indigo-800 dark:border-slate-700 dark:bg-slate-900 dark:has-[:checked]:bg-indigo-950 dark:has-[:checked]:text-indigo-200">
              <input type="radio" name="preset" value="custom" checked={preset === "custom"} onChange={() => setPreset("custom")} className="sr-only" />
              Custom
            </label>
          </div>
          {preset === "custom" && (
            <div className="mt-3">
              <label htmlFor={ids.amount} className="block text-sm font-medium">
                Custom amount (USD)
              </label>
              <div className="mt-1 flex max-w-xs items-center rounded-md border border-slate-300 bg-white px-3 focus-within:ring-2 focus-within:ring-indigo-500 dark:border-slate-700 dark:bg-slate-900">
                <span aria-hidden="true" className="text-slate-500 dark:text-slate-400">
                  $
                </span>
                <input
                  id={ids.amount}
                  inputMode="decimal"
                  autoComplete="off"
                  value={custom}
                  onChange={(e) => setCustom(e.target.value)}
                  onBlur={() => setCustomTouched(true)}
                  aria-invalid={showAmountError}
                  aria-describedby={ids.amountError}
                  placeholder="25.00"
                  className="w-full bg-transparent px-1 py-2 outline-none"
                />
              </div>
              <p id={ids.amountError} className={`mt-1 text-sm ${showAmountError ? "text-red-700 dark:text-red-400" : "text-slate-600 dark:text-slate-400"}`}>
                {showAmountError && "error" in parsed ? parsed.error : `From ${formatCents(min)} to ${formatCents(max)}.`}
              </p>
            </div>
          )}
        </fieldset>

        <div>
          <label htmlFor={ids.coupon} className="block text-sm font-medium">
            Coupon or promo code <span className="font-normal text-slate-500 dark:text-slate-400">(optional)</span>
          </label>
          <div className="mt-1 flex max-w-md gap-2">
            <input
              id={ids.coupon}
              value={couponText}
              onChange={(e) => {
                setCouponText(e.target.value);
                if (coupon) setCoupon(null);
                setCouponMessage(null);
              }}
              onKeyDown={(e) => {
                if (e.key === "Enter") {
                  e.preventDefault();
                  applyCoupon();
                }
              }}
              autoComplete="off"
              autoCapitalize="characters"
              aria-describedby={ids.couponStatus}
              aria-invalid={couponMessage?.kind === "error"}
              className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 uppercase dark:border-slate-700 dark:bg-slate-900"
            />
            <button
              type="button"
              onClick={applyCoupon}
              disabled={couponBusy}
              className="rounded-md border border-slate-300 bg-white px-4 py-2 font-medium hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:bg-slate-900 dark:hover:bg-slate-800"
            >
              {couponBusy ? "Checking…" : "Apply"}
            </button>
            {coupon && (
              <button
                type="button"
                onClick={() => {
                  setCoupon(null);
                  setCouponText("");
                  setCouponMessage(null);
                }}
                className="px-2 text-sm text-slate-600 hover:underline dark:text-slate-400"
              >
                Remove
              </button>
            )}
          </div>
          <p
            id={ids.couponStatus}
            data-testid="coupon-status"
            role={couponMessage?.kind === "error" ? "alert" : "status"}
            className={`mt-1 min-h-5 text-sm ${couponMessage?.kind === "error" ? "text-red-700 dark:text-red-400" : "text-emerald-800 dark:text-emerald-300"}`}
          >
            {couponMessage?.text}
          </p>
          {coupon?.appliesWithoutTopUp && (
            <p className="mt-1 text-sm">
              This code grants credits on its own.{" "}
              <button
                type="button"
                onClick={redeemNow}
                disabled={couponBusy}
                className="font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300"
              >
                Redeem now without paying
              </button>{" "}
              or keep it with this top-up.
            </p>
          )}
        </div>

        {summary}

        {payError && (
          <p role="alert" className="rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
            {payError}
          </p>
        )}
        <div className="flex flex-wrap items-center gap-3">
          <button
            type="submit"
            aria-describedby={ids.summary}
            className="rounded-md bg-indigo-600 px-6 py-2.5 font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
          >
            {checkout.kind === "starting"
              ? "Opening checkout…"
              : checkout.kind === "redirecting"
                ? "Redirecting to checkout…"
                : `Pay ${amountCents === null ? "" : formatCents(amountCents)}`.trim()}
          </button>
          {canPay && (
            <span className="text-sm text-slate-600 dark:text-slate-400">
              {stripeState.status === "loading"
                ? "Loading secure checkout…"
                : stripeState.status === "unavailable"
                  ? "You will be taken to Stripe's checkout page."
                  : "Secure checkout by Stripe opens here."}
            </span>
          )}
        </div>
      </fieldset>
    </form>
  );
}
