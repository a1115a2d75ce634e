"use client";

import { useRouteMutation } from "@/components/data/route-hooks";
import { disableCouponRoute } from "@/app/api/admin/coupons/[id]/disable/contract";

/** Stops a code from applying from now on; the list re-renders with it disabled. */
export function DisableCoupon({ id, code }: { id: string; code: string }) {
  const disable = useRouteMutation(disableCouponRoute, { params: { id } });
  return (
    <>
      <button
        type="button"
        onClick={() => disable.mutate({})}
        disabled={disable.isPending}
        className="text-red-700 hover:underline disabled:opacity-60 dark:text-red-400"
        aria-label={`Disable ${code}`}
      >
        Disable
      </button>
      {disable.error && (
        <p role="alert" className="mt-1 text-xs text-red-800 dark:text-red-300">
          {disable.error.record.message}
        </p>
      )}
    </>
  );
}
