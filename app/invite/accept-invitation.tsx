"use client";

import { useRouter } from "next/navigation";
import type { acceptInvitationRoute as acceptInvitationRouteContract } from "@/app/api/invitations/accept/contract";
import { useRouteMutation } from "@/components/data/route-hooks";
import { endpoint } from "@/lib/edge/endpoint";

const acceptInvitationRoute = endpoint<typeof acceptInvitationRouteContract>("POST /api/invitations/accept");

export function AcceptInvitation({ token, teamName }: { token: string; teamName: string }) {
  const router = useRouter();
  const accept = useRouteMutation(acceptInvitationRoute, { params: {}, refresh: false }, { onSuccess: (r) => router.push(`/t/${r.teamSlug}/overview`) });
  return (
    <div className="mt-6">
      {accept.error && (
        <p role="alert" className="mb-3 rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
          {accept.error.message}
        </p>
      )}
      <button
        type="button"
        disabled={accept.isPending || accept.isSuccess}
        onClick={() => accept.mutate({ token })}
        className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
      >
        {accept.isPending || accept.isSuccess ? "Joining…" : `Accept and join ${teamName}`}
      </button>
    </div>
  );
}
