"use client";

import { useRouteMutation } from "@/components/data/route-hooks";
import type { disableCouponRoute as disableCouponRouteContract } from "@/app/api/admin/coupons/[id]/disable/contract";
import type { enableCouponRoute as enableCouponRouteContract } from "@/app/api/admin/coupons/[id]/enable/contract";
import type { endCouponRoute as endCouponRouteContract } from "@/app/api/admin/coupons/[id]/end/contract";
import { endpoint } from "@/lib/edge/endpoint";

const disableCouponRoute = endpoint<typeof disableCouponRouteContract>("POST /api/admin/coupons/:id/disable");
const enableCouponRoute = endpoint<typeof enableCouponRouteContract>("POST /api/admin/coupons/:id/enable");
const endCouponRoute = endpoint<typeof endCouponRouteContract>("POST /api/admin/coupons/:id/end");

const link = "hover:underline disabled:opacity-60";

/**
 * Disable (after a confirmation), re-enable, and (with `withEnd`) end a code now. Disabling and ending stop the code
 * for new checkouts; one already reserved keeps what it was shown.
 */
export function CouponStatusActions({ id, code, disabled, withEnd = false }: { id: string; code: string; disabled: boolean; withEnd?: boolean }) {
  const disable = useRouteMutation(disableCouponRoute, { params: { id } });
  const enable = useRouteMutation(enableCouponRoute, { params: { id } });
  const end = useRouteMutation(endCouponRoute, { params: { id } });
  const busy = disable.isPending || enable.isPending || end.isPending;
  const error = disable.error ?? enable.error ?? end.error;
  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex flex-wrap justify-end gap-3">
        {disabled ? (
          <button
            type="button"
            onClick={() => enable.mutate({})}
            disabled={busy}
            className={`${link} text-indigo-700 dark:text-indigo-300`}
            aria-label={`Re-enable ${code}`}
          >
            Re-enable
          </button>
        ) : (
          <button
            type="button"
            onClick={() => {
              if (window.confirm(`Disable ${code}? Teams can no longer use it (you can re-enable it later).`)) disable.mutate({});
            }}
            disabled={busy}
            className={`${link} text-red-700 dark:text-red-400`}
            aria-label={`Disable ${code}`}
          >
            Disable
          </button>
        )}
        {withEnd && (
          <button
            type="button"
            onClick={() => {
              if (window.confirm(`End ${code} now? It expires this moment; set a later end date in the form to reopen it.`)) end.mutate({});
            }}
            disabled={busy}
            className={`${link} text-red-700 dark:text-red-400`}
            aria-label={`End ${code} now`}
          >
            End now
          </button>
        )}
      </div>
      {error && (
        <p role="alert" className="text-xs text-red-800 dark:text-red-300">
          {error.record.message}
        </p>
      )}
    </div>
  );
}
