import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { signOutAction } from "@/app/signin/actions";
import { formatDateTime } from "@/components/format";
import { getOwnSignInReview } from "@/lib/accounts/list-sign-ins";
import { signInReviewPage } from "@/lib/edge/page";

export const metadata: Metadata = { title: "Sign-in under review" };
export const dynamic = "force-dynamic";

// Where a person whose enterprise sign-in is not approved lands: every team page, admin page and API refuses them
// until a platform admin approves (lib/edge/page.ts, lib/edge/actor.ts).
export default async function SignInReviewPage() {
  const { user, db } = await signInReviewPage();
  const review = await getOwnSignInReview({ db, userId: user.id });
  if (!review || review.status === "APPROVED") redirect("/");
  const rejected = review.status === "REJECTED";
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6 py-12">
      <h1 className="text-3xl font-semibold tracking-tight">{rejected ? "Your sign-in was not approved" : "Your sign-in is under review"}</h1>
      {rejected ? (
        <div role="alert" className="mt-6 rounded-md bg-red-50 p-4 text-red-900 dark:bg-red-950 dark:text-red-100">
          <p>A platform admin reviewed your enterprise sign-in and did not approve it{review.reviewedAt ? ` on ${formatDateTime(review.reviewedAt)}` : ""}.</p>
          <p className="mt-2">
            <span className="font-medium">Reason:</span> <span className="whitespace-pre-wrap">{review.reason}</span>
          </p>
        </div>
      ) : (
        <div role="status" className="mt-6 rounded-md bg-amber-50 p-4 text-amber-950 dark:bg-amber-950/40 dark:text-amber-100">
          <p>
            You signed in through your company&apos;s identity provider as <span className="font-medium">{user.email ?? user.name ?? "a new user"}</span>. New
            enterprise sign-ins are reviewed by a platform admin before they can use Creditdesk.
          </p>
          <p className="mt-2">Waiting since {formatDateTime(review.since)}. This page shows the answer once it is decided.</p>
        </div>
      )}
      <form action={signOutAction} className="mt-8">
        <button className="text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300">Sign out</button>
      </form>
    </main>
  );
}
