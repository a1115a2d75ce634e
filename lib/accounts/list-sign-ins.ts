import type { Db } from "../db/client";
import type { AccessStatus } from "../db/generated/client";
import { ENTERPRISE_PROVIDER } from "../auth/enterprise";

export type SignInReview = {
  id: string;
  name: string | null;
  email: string | null;
  status: AccessStatus;
  /** The subject the enterprise issuer knows the person by (null if their sign-in was not through it). */
  subject: string | null;
  createdAt: Date;
  reason: string | null;
  reviewedAt: Date | null;
  reviewer: { name: string | null; email: string | null } | null;
};

const RECENT = 50;

const select = {
  id: true,
  name: true,
  email: true,
  accessStatus: true,
  accessReason: true,
  accessReviewedAt: true,
  createdAt: true,
  accessReviewer: { select: { name: true, email: true } },
  accounts: { where: { provider: ENTERPRISE_PROVIDER }, select: { providerAccountId: true }, take: 1 },
} as const;

type Row = {
  id: string;
  name: string | null;
  email: string | null;
  accessStatus: AccessStatus;
  accessReason: string | null;
  accessReviewedAt: Date | null;
  createdAt: Date;
  accessReviewer: { name: string | null; email: string | null } | null;
  accounts: { providerAccountId: string }[];
};

const toReview = (u: Row): SignInReview => ({
  id: u.id,
  name: u.name,
  email: u.email,
  status: u.accessStatus,
  subject: u.accounts[0]?.providerAccountId ?? null,
  createdAt: u.createdAt,
  reason: u.accessReason,
  reviewedAt: u.accessReviewedAt,
  reviewer: u.accessReviewer,
});

/** The sign-ins waiting for review (oldest first), and the latest decisions (newest first). For platform admins. */
export async function listSignInReviews({ db }: { db: Db }): Promise<{ pending: SignInReview[]; decided: SignInReview[] }> {
  const [pending, decided] = await Promise.all([
    db.user.findMany({ where: { accessStatus: "PENDING" }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select }),
    db.user.findMany({ where: { accessReviewedAt: { not: null } }, orderBy: [{ accessReviewedAt: "desc" }, { id: "desc" }], take: RECENT, select }),
  ]);
  return { pending: pending.map(toReview), decided: decided.map(toReview) };
}

/** Where a person's own sign-in stands, for the page they see while it is reviewed. */
export async function getOwnSignInReview({ db, userId }: { db: Db; userId: string }) {
  const u = await db.user.findUnique({ where: { id: userId }, select: { accessStatus: true, accessReason: true, accessReviewedAt: true, createdAt: true } });
  if (!u) return null;
  return { status: u.accessStatus, reason: u.accessReason, reviewedAt: u.accessReviewedAt, since: u.createdAt };
}
